'use strict';
/**
 * A deterministic, varied grocery catalogue for the benchmark: the same seed always gives the same
 * 100,000 products (names unique, realistic categories, descriptions and prices).
 */

const CATEGORIES = {
  dairy: [
    'milk',
    'yogurt',
    'cheddar',
    'butter',
    'cream',
    'kefir',
    'mozzarella',
    'brie',
    'feta',
    'skyr',
    'crème fraîche',
    'ricotta',
  ],
  produce: [
    'apples',
    'bananas',
    'carrots',
    'tomatoes',
    'spinach',
    'avocados',
    'lemons',
    'potatoes',
    'onions',
    'broccoli',
    'strawberries',
    'pears',
    'courgettes',
    'peppers',
  ],
  bakery: [
    'sourdough',
    'baguette',
    'croissants',
    'bagels',
    'rye bread',
    'brioche',
    'muffins',
    'ciabatta',
    'pain au chocolat',
    'flatbread',
    'wholemeal loaf',
  ],
  beverages: [
    'orange juice',
    'apple juice',
    'sparkling water',
    'cola',
    'green tea',
    'coffee beans',
    'lemonade',
    'kombucha',
    'oat drink',
    'iced tea',
    'espresso',
  ],
  frozen: [
    'pizza',
    'peas',
    'ice cream',
    'fish fingers',
    'berries',
    'spinach',
    'chips',
    'dumplings',
    'sorbet',
    'lasagne',
  ],
  meat: [
    'chicken breast',
    'beef mince',
    'pork sausages',
    'bacon',
    'lamb chops',
    'turkey slices',
    'salami',
    'ham',
    'chorizo',
    'meatballs',
  ],
  pantry: [
    'pasta',
    'basmati rice',
    'olive oil',
    'tomato sauce',
    'chickpeas',
    'lentils',
    'flour',
    'honey',
    'peanut butter',
    'oats',
    'muesli',
    'couscous',
    'soy sauce',
    'vinegar',
  ],
  snacks: [
    'crisps',
    'dark chocolate',
    'milk chocolate',
    'cookies',
    'popcorn',
    'pretzels',
    'almonds',
    'cashews',
    'granola bars',
    'rice cakes',
    'crackers',
  ],
  seafood: [
    'salmon fillet',
    'prawns',
    'cod loin',
    'tuna steak',
    'mussels',
    'smoked mackerel',
    'sardines',
  ],
  household: [
    'washing-up liquid',
    'kitchen roll',
    'bin bags',
    'dishwasher tablets',
    'laundry gel',
    'sponges',
  ],
  deli: ['hummus', 'olives', 'pesto', 'guacamole', 'coleslaw', 'antipasti', 'tzatziki'],
  baby: ['baby rice', 'fruit puree', 'baby porridge', 'rusks', 'nappies'],
};

const ADJECTIVES = [
  'Organic',
  'Fresh',
  'Classic',
  'Smoked',
  'Spicy',
  'Sweet',
  'Creamy',
  'Wholegrain',
  'Gluten-free',
  'Low-fat',
  'Free-range',
  'Italian',
  'Greek',
  'Farmhouse',
  'Crunchy',
  'Mild',
  'Extra mature',
  'Unsalted',
  'Vanilla',
  'Salted caramel',
  'Honey',
  'Garlic',
  'Lemon',
  'Wild',
  'Fairtrade',
];
const BRANDS = [
  'Green Valley',
  'Sunny Farm',
  'Nordic Table',
  'Casa Bella',
  'Hill & Dale',
  'Golden Harvest',
  'Blue Coast',
  'Old Mill',
  'Maple Grove',
  'Urban Pantry',
  'Little Acre',
  'Riverbend',
  'Highland',
  'Orchard Lane',
  'Sol y Sal',
  'Bio Garden',
];
const SIZES = [
  '100 g',
  '150 g',
  '200 g',
  '250 g',
  '400 g',
  '500 g',
  '750 g',
  '1 kg',
  '2 kg',
  '330 ml',
  '500 ml',
  '1 l',
  '1.5 l',
  '(4)',
  '(6)',
  '(12)',
  'family pack',
  'multipack',
];
const PHRASES = [
  'Sourced from independent growers.',
  'Perfect for a quick weekday dinner.',
  'Rich, full flavour with a smooth finish.',
  'No artificial colours or preservatives.',
  'Great for breakfast, lunch or a snack.',
  'Traditionally made in small batches.',
  'Keep refrigerated once opened.',
  'Suitable for vegetarians.',
  'A family favourite since 1962.',
  'Lightly seasoned with sea salt and herbs.',
  'Ideal for baking, sauces and desserts.',
  'Ripened naturally for a sweeter taste.',
];

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(rand) {
  const hex = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rand() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** `count` products: { id, name, nameKey, description, category, priceCents, stock }. */
function generateCatalogue(count, { seed = 8, existingNameKeys = new Set() } = {}) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const categories = Object.keys(CATEGORIES);
  const taken = new Set(existingNameKeys);
  const products = [];
  while (products.length < count) {
    const category = pick(categories);
    const base = pick(CATEGORIES[category]);
    const name = `${pick(BRANDS)} ${pick(ADJECTIVES).toLowerCase()} ${base} ${pick(SIZES)}`;
    const nameKey = name.toLowerCase();
    if (taken.has(nameKey)) continue;
    taken.add(nameKey);
    const description = `${pick(ADJECTIVES)} ${base} from ${pick(BRANDS)}. ${pick(PHRASES)} ${pick(PHRASES)}`;
    products.push({
      id: uuid(rand),
      name,
      nameKey,
      description,
      category,
      priceCents: 49 + Math.floor(rand() * 2950),
      stock: Math.floor(rand() * 500),
    });
  }
  return products;
}

/** Queries a shopper types: whole words, prefixes while typing, two-word queries. */
const SEARCH_QUERIES = [
  'milk',
  'choc',
  'chocolate',
  'organic apples',
  'chee',
  'yog',
  'sourdough',
  'gluten free',
  'pasta',
  'tomato sauce',
  'salmon',
  'crème',
  'creme fraiche',
  'coff',
  'ice cream',
  'oat',
  'honey',
  'spicy chorizo',
  'frozen pizza',
  'ban',
  'peanut butter',
  'smoked',
  'green valley',
  'almonds',
  'bread',
  'juice',
  'crisps',
  'olive oil',
  'fresh spinach',
  'vanilla',
];

const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'name', 'newest', 'rating'];

/**
 * `count` distinct search requests (paths) over the catalogue's own words: whole words, prefixes
 * as typed, two-word queries, a category facet on some, every sort. Distinct in everything the
 * store's result cache keys on, so a cycle longer than the cache never hits it. `sorts` narrows
 * the sorts to those another shop offers too (the peer comparison).
 */
function searchMix(catalogue, count = 1500, seed = 17, sorts = SEARCH_SORTS) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const words = new Set();
  const pairs = new Set();
  for (const p of catalogue.slice(0, 5000)) {
    const ws = p.name
      .toLowerCase()
      .split(/[^a-zà-ÿ]+/)
      .filter((w) => w.length >= 3);
    ws.forEach((w) => words.add(w));
    for (let i = 0; i + 1 < ws.length; i++) pairs.add(`${ws[i]} ${ws[i + 1]}`);
  }
  const texts = [...words];
  for (const w of words) for (let n = 3; n < w.length; n++) texts.push(w.slice(0, n));
  texts.push(...pairs);
  const categories = Object.keys(CATEGORIES);
  const paths = new Set();
  while (paths.size < count) {
    const q = pick(texts);
    const params = new URLSearchParams({ q });
    if (rand() < 0.3) params.set('category', pick(categories));
    const sort = pick(sorts);
    if (sort !== 'relevance') params.set('sort', sort);
    paths.add(`/api/search?${params}`);
  }
  return [...paths];
}

module.exports = {
  generateCatalogue,
  SEARCH_QUERIES,
  CATEGORIES: Object.keys(CATEGORIES),
  prng,
  searchMix,
};
