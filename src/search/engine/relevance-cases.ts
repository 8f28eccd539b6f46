/**
 * The search relevance test set: what shoppers type, and the one product each of them must find
 * among the first three hits. Written from a shopper's judgement, not from any engine's output,
 * over two catalogues:
 *
 * - `demo`: the products the store seeds in development (libs/demo/src/demo-catalogue.ts),
 * - `bench`: `generateCatalogue(100000)` of bench/catalogue.js (deterministic, seed 8).
 *
 * The rules the engine promises, which every case keeps to: case- and accent-insensitive; words in
 * any order; every typed word must match (AND), as a word or the prefix of a word of the name,
 * category slug or description (name weighs most); a typed word that is neither a word nor a
 * prefix of one in the catalogue may be 1 edit off (5+ letters) or 2 (9+ letters); a typed word
 * also matches the other words of its synonym group (RELEVANCE_SYNONYMS).
 *
 * Bench names are "<brand> <adjective> <product> <size>", so a bench query names brand, adjective
 * and product (in any order) to leave at most three products with every word in their name.
 *
 * Found a search bug? Add the case that shows it here first, watch the relevance test fail, then
 * fix the engine. Name the product exactly as the catalogue does; check that every typed word
 * matches it under the rules above (a typo only if the word is no word or prefix of the
 * catalogue) and that no more than three products carry every typed word in their name.
 */

export interface RelevanceCase {
  catalogue: 'demo' | 'bench';
  /** What the shopper typed. */
  q: string;
  /** The exact name of the product that must be among the first three hits. */
  expect: string;
  /**
   * What the case exercises: whole words; a word still being typed (prefix); a misspelt word;
   * several words in any order; accents typed or left out; a word only a synonym group links.
   */
  kind: 'word' | 'prefix' | 'typo' | 'two-words' | 'accent' | 'synonym';
}

/** Synonym groups the relevance test installs (as an employee would). */
export const RELEVANCE_SYNONYMS: readonly string[][] = [
  ['crisps', 'chips'],
  ['cookies', 'biscuits'],
  ['cola', 'coke'],
  ['sparkling', 'fizzy'],
  ['sausages', 'bangers'],
  ['porridge', 'oatmeal'],
  ['chickpeas', 'garbanzo'],
  ['hummus', 'houmous'],
  ['buns', 'rolls'],
  ['fingers', 'sticks'],
  ['courgettes', 'zucchini'],
  ['prawns', 'shrimp'],
  ['nappies', 'diapers'],
  ['bin', 'trash', 'garbage'],
  ['peppers', 'capsicum'],
  ['soy', 'soya'],
  ['tablets', 'pods'],
  ['flatbread', 'pitta'],
];

const demo = (kind: RelevanceCase['kind'], q: string, expect: string): RelevanceCase => ({
  catalogue: 'demo',
  q,
  expect,
  kind,
});
const bench = (kind: RelevanceCase['kind'], q: string, expect: string): RelevanceCase => ({
  catalogue: 'bench',
  q,
  expect,
  kind,
});

const DEMO_CASES: readonly RelevanceCase[] = [
  // Whole words, in the name, category or description.
  demo('word', 'milk', 'Whole milk 1 l'),
  demo('word', 'bananas', 'Bananas (bunch)'),
  demo('word', 'spinach', 'Baby spinach 200 g'),
  demo('word', 'bread', 'Wholemeal bread'),
  demo('word', 'loaf', 'Sourdough loaf'),
  demo('word', 'eggs', 'Free-range eggs (12)'),
  demo('word', 'honey', 'Wildflower honey 350 g'),
  demo('word', 'oats', 'Rolled oats 1 kg'),
  demo('word', 'coffee', 'Ground coffee 250 g'),
  demo('word', 'salmon', 'Smoked salmon 200 g'),
  demo('word', 'frozen', 'Frozen peas 1 kg'),
  demo('word', 'pasta', 'Spaghetti 500 g'),
  demo('word', 'mozzarella', 'Margherita pizza'),
  demo('word', 'porridge', 'Rolled oats 1 kg'),
  demo('word', 'tahini', 'Hummus 200 g'),
  demo('word', 'sencha', 'Green tea (40 bags)'),
  demo('word', 'cod', 'Fish fingers (10)'),
  demo('word', 'raspberries', 'Mixed berries 500 g'),
  demo('word', 'cabbage', 'Vegetable dumplings (20)'),

  // Prefixes, as the shopper is still typing.
  demo('prefix', 'sourd', 'Sourdough loaf'),
  demo('prefix', 'crois', 'Butter croissants (4)'),
  demo('prefix', 'spag', 'Spaghetti 500 g'),
  demo('prefix', 'basm', 'Basmati rice 1 kg'),
  demo('prefix', 'cinn', 'Cinnamon buns (2)'),
  demo('prefix', 'marg', 'Margherita pizza'),
  demo('prefix', 'dump', 'Vegetable dumplings (20)'),
  demo('prefix', 'avo', 'Avocados (2)'),
  demo('prefix', 'pean', 'Peanut butter 340 g'),
  demo('prefix', 'saus', 'Pork sausages (6)'),
  demo('prefix', 'wildfl', 'Wildflower honey 350 g'),
  demo('prefix', 'yog', 'Greek yogurt 500 g'),
  demo('prefix', 'chedd', 'Aged cheddar 250 g'),
  demo('prefix', 'choc chip', 'Chocolate chip cookies'),
  demo('prefix', 'oli oil', 'Extra virgin olive oil 500 ml'),
  demo('prefix', 'vanilla ice cr', 'Vanilla ice cream 1 l'),

  // Typos: one edit (5+ letters) or two (9+ letters).
  demo('typo', 'dark chocolte', 'Dark chocolate 70% 100 g'),
  demo('typo', 'mozarella', 'Margherita pizza'),
  demo('typo', 'margarita pizza', 'Margherita pizza'),
  demo('typo', 'sourdoguh', 'Sourdough loaf'),
  demo('typo', 'banans', 'Bananas (bunch)'),
  demo('typo', 'avacados', 'Avocados (2)'),
  demo('typo', 'spagetti', 'Spaghetti 500 g'),
  demo('typo', 'cinamon buns', 'Cinnamon buns (2)'),
  demo('typo', 'chedder', 'Aged cheddar 250 g'),
  demo('typo', 'yoghurt', 'Greek yogurt 500 g'),
  demo('typo', 'bagles', 'Bagels (5)'),
  demo('typo', 'basmatti rice', 'Basmati rice 1 kg'),
  demo('typo', 'vanila ice cream', 'Vanilla ice cream 1 l'),
  demo('typo', 'chiken breast', 'Chicken breast 500 g'),
  demo('typo', 'sparkeling water', 'Sparkling water 6 x 1.5 l'),
  demo('typo', 'rasberries', 'Mixed berries 500 g'),
  demo('typo', 'dumplins', 'Vegetable dumplings (20)'),
  demo('typo', 'orenge juice', 'Orange juice 1 l'),
  demo('typo', 'extra virgen olive oil', 'Extra virgin olive oil 500 ml'),
  demo('typo', 'croissnats', 'Butter croissants (4)'),
  demo('typo', 'humus', 'Hummus 200 g'),
  demo('typo', 'cofee', 'Ground coffee 250 g'),

  // Several words, in any order, across name, category and description.
  demo('two-words', 'greek yogurt', 'Greek yogurt 500 g'),
  demo('two-words', 'olive oil', 'Extra virgin olive oil 500 ml'),
  demo('two-words', 'peanut butter', 'Peanut butter 340 g'),
  demo('two-words', 'orange juice', 'Orange juice 1 l'),
  demo('two-words', 'apple juice', 'Apple juice 1 l'),
  demo('two-words', 'green tea', 'Green tea (40 bags)'),
  demo('two-words', 'smoked salmon', 'Smoked salmon 200 g'),
  demo('two-words', 'fish fingers', 'Fish fingers (10)'),
  demo('two-words', 'red onions', 'Red onions 1 kg'),
  demo('two-words', 'beef mince', 'Beef mince 500 g'),
  demo('two-words', 'salted butter', 'Salted butter 250 g'),
  demo('two-words', 'semi skimmed milk', 'Semi-skimmed milk 1 l'),
  demo('two-words', 'free range eggs', 'Free-range eggs (12)'),
  demo('two-words', 'tomatoes chopped', 'Chopped tomatoes 400 g'),
  demo('two-words', 'chocolate cookies', 'Chocolate chip cookies'),
  demo('two-words', 'frozen pizza', 'Margherita pizza'),
  demo('two-words', 'plant milk', 'Oat drink 1 l'),
  demo('two-words', 'sea salt butter', 'Salted butter 250 g'),
  demo('two-words', 'dozen eggs', 'Free-range eggs (12)'),

  // Accents: left out, typed, typed wrong, typed where the catalogue has none.
  demo('accent', 'creme fraiche', 'Crème fraîche 200 ml'),
  demo('accent', 'creme', 'Crème fraîche 200 ml'),
  demo('accent', 'fraiche', 'Crème fraîche 200 ml'),
  demo('accent', 'CRÈME FRAÎCHE', 'Crème fraîche 200 ml'),
  demo('accent', 'créme fraiche', 'Crème fraîche 200 ml'),
  demo('accent', 'cafetiere', 'Ground coffee 250 g'),
  demo('accent', 'café', 'Ground coffee 250 g'),

  // Synonyms: the shopper's word is not in the product, its group's other word is.
  demo('synonym', 'biscuits', 'Chocolate chip cookies'),
  demo('synonym', 'fizzy water', 'Sparkling water 6 x 1.5 l'),
  demo('synonym', 'coke', 'Cola 6 x 330 ml'),
  demo('synonym', 'bangers', 'Pork sausages (6)'),
  demo('synonym', 'oatmeal', 'Rolled oats 1 kg'),
  demo('synonym', 'garbanzo', 'Chickpeas 400 g'),
  demo('synonym', 'houmous', 'Hummus 200 g'),
  demo('synonym', 'chips', 'Salted crisps 150 g'),
  demo('synonym', 'cinnamon rolls', 'Cinnamon buns (2)'),
  demo('synonym', 'fish sticks', 'Fish fingers (10)'),
];

const BENCH_CASES: readonly RelevanceCase[] = [
  // Whole words: the name without its size (or with it).
  bench('word', 'Sunny Farm organic apples', 'Sunny Farm organic apples (12)'),
  bench('word', 'Riverbend mild broccoli', 'Riverbend mild broccoli 400 g'),
  bench('word', 'Hill & Dale organic orange juice', 'Hill & Dale organic orange juice (4)'),
  bench('word', 'Urban Pantry organic cashews', 'Urban Pantry organic cashews 250 g'),
  bench('word', 'Casa Bella classic salmon fillet', 'Casa Bella classic salmon fillet 400 g'),
  bench('word', 'Sol y Sal fairtrade chorizo', 'Sol y Sal fairtrade chorizo 200 g'),
  bench(
    'word',
    'Golden Harvest free-range lamb chops',
    'Golden Harvest free-range lamb chops 250 g',
  ),
  bench('word', 'Old Mill organic fish fingers', 'Old Mill organic fish fingers 500 ml'),
  bench('word', 'Bio Garden classic lemonade', 'Bio Garden classic lemonade 1.5 l'),
  bench('word', 'Blue Coast fairtrade sardines', 'Blue Coast fairtrade sardines (4)'),
  bench('word', 'Highland classic tzatziki', 'Highland classic tzatziki 1 kg'),
  bench('word', 'Maple Grove fresh peanut butter', 'Maple Grove fresh peanut butter 500 g'),
  bench('word', 'Sunny Farm fresh onions', 'Sunny Farm fresh onions 400 g'),
  bench('word', 'Riverbend classic dark chocolate', 'Riverbend classic dark chocolate 200 g'),
  bench('word', 'Casa Bella garlic brie', 'Casa Bella garlic brie 330 ml'),
  bench('word', 'Little Acre greek basmati rice 100 g', 'Little Acre greek basmati rice 100 g'),

  // Prefixes, as the shopper is still typing.
  bench('prefix', 'old mill free-range pizz', 'Old Mill free-range pizza 100 g'),
  bench('prefix', 'hill & dale crunchy sourd', 'Hill & Dale crunchy sourdough 1 kg'),
  bench('prefix', 'nordic table smoked bague', 'Nordic Table smoked baguette 100 g'),
  bench('prefix', 'golden harvest ital croiss', 'Golden Harvest italian croissants 1 kg'),
  bench('prefix', 'little acre classic muss', 'Little Acre classic mussels 200 g'),
  bench('prefix', 'maple grove gluten-fr green te', 'Maple Grove gluten-free green tea 1 kg'),
  bench('prefix', 'highland smoked ciab', 'Highland smoked ciabatta 1 kg'),
  bench('prefix', 'orchard lane wholegrain brio', 'Orchard Lane wholegrain brioche 100 g'),
  bench('prefix', 'urban pantry extra mature salam', 'Urban Pantry extra mature salami (4)'),
  bench('prefix', 'sol y sal vanilla espr', 'Sol y Sal vanilla espresso 1 kg'),
  bench('prefix', 'blue coast spicy chedd', 'Blue Coast spicy cheddar 250 g'),
  bench('prefix', 'urban pantry farmhouse sky', 'Urban Pantry farmhouse skyr 2 kg'),
  bench('prefix', 'bio garden fresh ricot', 'Bio Garden fresh ricotta 1.5 l'),
  bench('prefix', 'gold harv wholegrain rice cak', 'Golden Harvest wholegrain rice cakes 500 g'),

  // Typos: one edit (5+ letters) or two (9+ letters).
  bench('typo', 'Riverbend mild brocoli', 'Riverbend mild broccoli 400 g'),
  bench('typo', 'Little Acre italian mozarella', 'Little Acre italian mozzarella (4)'),
  bench('typo', 'Nordic Table garlic strawberrys', 'Nordic Table garlic strawberries 1 kg'),
  bench('typo', 'Bio Garden wholegrain sourdoguh', 'Bio Garden wholegrain sourdough 500 g'),
  bench('typo', 'Urban Pantry lemon dark chocolte', 'Urban Pantry lemon dark chocolate (6)'),
  bench('typo', 'Sunny Farm extra mature choriso', 'Sunny Farm extra mature chorizo 150 g'),
  bench('typo', 'Orchard Lane classic croisants', 'Orchard Lane classic croissants 1 l'),
  bench('typo', 'Blue Coast vanilla avacados', 'Blue Coast vanilla avocados (6)'),
  bench('typo', 'Old Mill garlic sardiens', 'Old Mill garlic sardines 150 g'),
  bench('typo', 'Sunny Farm fairtrade musels', 'Sunny Farm fairtrade mussels 1 l'),
  bench('typo', 'Riverbnd honey turkey slices', 'Riverbend honey turkey slices 200 g'),
  bench('typo', 'Maple Grove lemon chikpeas', 'Maple Grove lemon chickpeas multipack'),
  bench(
    'typo',
    'Orchard Lane free-range smoked makerel',
    'Orchard Lane free-range smoked mackerel (4)',
  ),
  bench(
    'typo',
    'Golden Harvest gluten-free guacamloe',
    'Golden Harvest gluten-free guacamole 400 g',
  ),
  bench('typo', 'Hill & Dale spicy spinnach', 'Hill & Dale spicy spinach 1.5 l'),
  bench('typo', 'Casa Bella crunchy lemmons', 'Casa Bella crunchy lemons 2 kg'),
  bench('typo', 'Nordic Table mild courgetes', 'Nordic Table mild courgettes 2 kg'),
  bench('typo', 'Old Mill creamy yoghurt', 'Old Mill creamy yogurt 400 g'),

  // Several words, in any order.
  bench('two-words', 'mozzarella free-range blue coast', 'Blue Coast free-range mozzarella (6)'),
  bench('two-words', 'skyr mild sunny farm', 'Sunny Farm mild skyr family pack'),
  bench('two-words', 'kombucha maple grove unsalted', 'Maple Grove unsalted kombucha 500 g'),
  bench('two-words', 'iced tea organic nordic table', 'Nordic Table organic iced tea 500 ml'),
  bench('two-words', 'granola bars honey sunny farm', 'Sunny Farm honey granola bars (6)'),
  bench('two-words', 'popcorn gluten-free little acre', 'Little Acre gluten-free popcorn 400 g'),
  bench('two-words', 'tuna steak italian urban pantry', 'Urban Pantry italian tuna steak 150 g'),
  bench('two-words', 'pretzels italian riverbend', 'Riverbend italian pretzels 400 g'),
  bench('two-words', 'guacamole garlic blue coast', 'Blue Coast garlic guacamole (12)'),
  bench('two-words', 'lamb chops lemon riverbend', 'Riverbend lemon lamb chops 750 g'),
  bench('two-words', 'sorbet smoked little acre', 'Little Acre smoked sorbet 100 g'),
  bench(
    'two-words',
    'kitchen roll fairtrade orchard lane',
    'Orchard Lane fairtrade kitchen roll (12)',
  ),
  bench('two-words', 'coleslaw low-fat maple grove', 'Maple Grove low-fat coleslaw 150 g'),
  bench('two-words', 'muffins wild blue coast', 'Blue Coast wild muffins (6)'),

  // Accents: left out, typed, typed wrong, typed where the catalogue has none.
  bench('accent', 'Orchard Lane organic creme fraiche', 'Orchard Lane organic crème fraîche 150 g'),
  bench('accent', 'Maple Grove low-fat creme fraiche', 'Maple Grove low-fat crème fraîche 250 g'),
  bench(
    'accent',
    'creme fraiche bio garden wholegrain',
    'Bio Garden wholegrain crème fraîche 500 g',
  ),
  bench('accent', 'Highland italian CRÈME FRAÎCHE', 'Highland italian crème fraîche 200 g'),
  bench('accent', 'Blue Coast crunchy fruit purée', 'Blue Coast crunchy fruit puree 500 g'),
  bench('accent', 'Nordic Table farmhouse purée', 'Nordic Table farmhouse fruit puree family pack'),
  bench('accent', 'Sunny Farm low-fat müesli', 'Sunny Farm low-fat muesli (12)'),
  bench('accent', 'Hill & Dale fresh müesli', 'Hill & Dale fresh muesli 500 ml'),
  bench('accent', 'Hill & Dale wild kéfir', 'Hill & Dale wild kefir 750 g'),
  bench('accent', 'Casa Bella garlic kéfir', 'Casa Bella garlic kefir 150 g'),
  bench('accent', 'Bio Garden smoked féta', 'Bio Garden smoked feta 400 g'),

  // Synonyms: the shopper's word is not in the product, its group's other word is.
  bench('synonym', 'Casa Bella unsalted zucchini', 'Casa Bella unsalted courgettes 250 g'),
  bench('synonym', 'Little Acre wild shrimp', 'Little Acre wild prawns 750 g'),
  bench('synonym', 'Orchard Lane smoked shrimp', 'Orchard Lane smoked prawns family pack'),
  bench('synonym', 'Urban Pantry wholegrain diapers', 'Urban Pantry wholegrain nappies 400 g'),
  bench('synonym', 'Blue Coast wild trash bags', 'Blue Coast wild bin bags 100 g'),
  bench('synonym', 'Orchard Lane crunchy capsicum', 'Orchard Lane crunchy peppers 330 ml'),
  bench('synonym', 'Orchard Lane mild soya sauce', 'Orchard Lane mild soy sauce 2 kg'),
  bench('synonym', 'Blue Coast italian garbanzo', 'Blue Coast italian chickpeas 250 g'),
  bench(
    'synonym',
    'Golden Harvest fairtrade baby oatmeal',
    'Golden Harvest fairtrade baby porridge 400 g',
  ),
  bench('synonym', 'Urban Pantry fresh houmous', 'Urban Pantry fresh hummus 1 kg'),
  bench('synonym', 'Old Mill fairtrade coke', 'Old Mill fairtrade cola 1 l'),
  bench('synonym', 'Highland classic fizzy water', 'Highland classic sparkling water 330 ml'),
  bench('synonym', 'Golden Harvest farmhouse biscuits', 'Golden Harvest farmhouse cookies 200 g'),
  bench('synonym', 'Sol y Sal unsalted pork bangers', 'Sol y Sal unsalted pork sausages 250 g'),
  bench(
    'synonym',
    'Green Valley low-fat dishwasher pods',
    'Green Valley low-fat dishwasher tablets 1.5 l',
  ),
  bench(
    'synonym',
    'Urban Pantry free-range fish sticks',
    'Urban Pantry free-range fish fingers 200 g',
  ),
  bench('synonym', 'Orchard Lane vanilla pitta', 'Orchard Lane vanilla flatbread (12)'),
  bench('synonym', 'Little Acre fresh chips', 'Little Acre fresh crisps 1 l'),
];

export const RELEVANCE_CASES: readonly RelevanceCase[] = [...DEMO_CASES, ...BENCH_CASES];
