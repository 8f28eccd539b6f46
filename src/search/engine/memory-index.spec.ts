import fc from 'fast-check';
import { foldWords } from '../fts-query';
import { SEARCH_SORTS, type SearchSort } from '../dto/search.query';
import type { IndexQuery, IndexedProduct } from '../search-index';
import { MemoryIndex } from './memory-index';

let serial = 0;
function product(fields: Partial<IndexedProduct> & { name: string }): IndexedProduct {
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    description: null,
    category: 'pantry',
    priceCents: 100,
    stock: 5,
    archived: false,
    revision: 1,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, serial)).toISOString(),
    ratingAverage: null,
    ratingCount: 0,
    ...fields,
  };
}

const query = (q: string | undefined, more: Partial<IndexQuery> = {}): IndexQuery => ({
  q,
  sort: q ? 'relevance' : 'name',
  page: 1,
  limit: 20,
  ...more,
});

function names(index: MemoryIndex, q: string | undefined, more: Partial<IndexQuery> = {}) {
  return index.search(query(q, more)).items.map((hit) => hit.name);
}

describe('the in-memory search index', () => {
  let index: MemoryIndex;
  beforeEach(() => {
    index = new MemoryIndex();
    for (const p of [
      product({ name: 'Dark Chocolate 70%', category: 'snacks', priceCents: 250 }),
      product({ name: 'Milk Chocolate', category: 'snacks', priceCents: 199 }),
      product({ name: 'Greek Yogurt', category: 'dairy', priceCents: 320 }),
      product({ name: 'Crème Fraîche', category: 'dairy', priceCents: 180 }),
      product({
        name: 'Cocoa Powder',
        category: 'baking',
        description: 'For chocolate cakes and brownies.',
        priceCents: 400,
      }),
      product({ name: 'Snack Bar', category: 'snacks', description: 'Oats and honey.' }),
    ])
      index.put(p);
  });

  it('matches words as prefixes, in any order, every word required', () => {
    expect(names(index, 'choc')).toEqual(
      expect.arrayContaining(['Dark Chocolate 70%', 'Milk Chocolate', 'Cocoa Powder']),
    );
    expect(names(index, 'chocolate dark')).toEqual(['Dark Chocolate 70%']);
    expect(names(index, 'chocolate yogurt')).toEqual([]);
  });

  it('folds case and accents on both sides', () => {
    expect(names(index, 'creme FRAICHE')).toEqual(['Crème Fraîche']);
    expect(names(index, 'crème')).toEqual(['Crème Fraîche']);
  });

  it('ranks a name match above a category match above a description match', () => {
    index.put(product({ name: 'Snacks Tin', category: 'household' }));
    const hits = names(index, 'snack');
    expect(hits.indexOf('Snacks Tin')).toBeLessThan(hits.indexOf('Milk Chocolate'));
    expect(names(index, 'chocolate').at(-1)).toBe('Cocoa Powder');
  });

  it('tolerates one typo from five letters and two from nine, ranked below exact matches', () => {
    expect(names(index, 'chocolte')).toEqual(
      expect.arrayContaining(['Dark Chocolate 70%', 'Milk Chocolate']),
    );
    expect(names(index, 'yoghurt')).toEqual(['Greek Yogurt']);
    expect(names(index, 'chcolatee')).toEqual(
      expect.arrayContaining(['Dark Chocolate 70%', 'Milk Chocolate']),
    );
    // Eight letters allow one typo, four letters none.
    expect(names(index, 'chcolaet')).toEqual([]);
    expect(names(index, 'mulk')).toEqual([]);
    const exact = index.search(query('yogurt')).items[0].score;
    const typo = index.search(query('yoghurt')).items[0].score;
    expect(typo).toBeLessThan(exact);
  });

  it('finds the other words of a synonym group', () => {
    index.put(product({ name: 'Sea Salt Crisps' }));
    const synonyms = (word: string) => (word === 'chips' ? ['crisps'] : []);
    expect(index.search(query('chips'), synonyms).items.map((h) => h.name)).toEqual([
      'Sea Salt Crisps',
    ]);
    expect(names(index, 'chips')).toEqual([]);
  });

  it('counts the category facets over every match, the category filter aside', () => {
    const result = index.search(query('c', { category: 'snacks' }));
    expect(result.facets).toEqual([
      { category: 'snacks', count: 2 },
      { category: 'baking', count: 1 },
      { category: 'dairy', count: 1 },
    ]);
    expect(result.total).toBe(2);
  });

  it('follows edits, stock moves, archiving and never goes back to an older revision', () => {
    const yogurt = product({ name: 'Plain Yogurt', revision: 3 });
    index.put(yogurt);
    index.put({ ...yogurt, name: 'Skyr', revision: 4 });
    expect(names(index, 'plain')).toEqual([]);
    expect(names(index, 'skyr')).toEqual(['Skyr']);
    index.put({ ...yogurt, name: 'Plain Yogurt', revision: 2 });
    expect(names(index, 'skyr')).toEqual(['Skyr']);
    index.put({ ...yogurt, name: 'Skyr', stock: 0, revision: 5 });
    expect(names(index, 'skyr', { inStock: true })).toEqual([]);
    index.put({ ...yogurt, name: 'Skyr', archived: true, revision: 6 });
    expect(names(index, 'skyr')).toEqual([]);
    expect(index.size).toBe(6);
  });

  it('answers nothing for a query with no letters or digits', () => {
    expect(index.search(query('  %% '))).toEqual({ items: [], total: 0, facets: [] });
  });
});

// A reference written the plain way: every product checked against every word.
const WORDS = ['apple', 'apricot', 'bread', 'brie', 'butter', 'cheddar', 'cheese', 'chips'];
const CATEGORIES = ['dairy', 'bakery', 'produce'];

function reference(products: IndexedProduct[], q: IndexQuery) {
  const typed = [...new Set(foldWords(q.q ?? ''))];
  const live = products.filter((p) => !p.archived);
  const matching = live.filter((p) => {
    const words = foldWords(`${p.name} ${p.category} ${p.description ?? ''}`);
    return typed.every((t) => words.some((w) => w.startsWith(t)));
  });
  const filtered = matching.filter(
    (p) =>
      (q.minPrice === undefined || p.priceCents >= q.minPrice) &&
      (q.maxPrice === undefined || p.priceCents <= q.maxPrice) &&
      (q.inStock === undefined || p.stock > 0 === q.inStock) &&
      (q.minRating === undefined || (p.ratingAverage ?? -1) >= q.minRating),
  );
  const counts = new Map<string, number>();
  for (const p of filtered) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  const hits = filtered.filter((p) => q.category === undefined || p.category === q.category);
  return { hits, counts };
}

const byName = (a: IndexedProduct, b: IndexedProduct) =>
  a.name.toLowerCase() < b.name.toLowerCase()
    ? -1
    : a.name.toLowerCase() > b.name.toLowerCase()
      ? 1
      : a.id < b.id
        ? -1
        : 1;
const ORDERS: Record<
  Exclude<SearchSort, 'relevance'>,
  (a: IndexedProduct, b: IndexedProduct) => number
> = {
  price_asc: (a, b) => a.priceCents - b.priceCents || byName(a, b),
  price_desc: (a, b) => b.priceCents - a.priceCents || byName(a, b),
  name: byName,
  newest: (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : 1),
  rating: (a, b) =>
    Number(a.ratingCount === 0) - Number(b.ratingCount === 0) ||
    (a.ratingCount === 0 ? 0 : (b.ratingAverage ?? 0) - (a.ratingAverage ?? 0)) ||
    (b.ratingCount ?? 0) - (a.ratingCount ?? 0) ||
    byName(a, b),
};

const arbProduct = fc.record({
  name: fc
    .array(fc.constantFrom(...WORDS, 'Apple', 'Brie'), { minLength: 1, maxLength: 3 })
    .map((w) => w.join(' ')),
  category: fc.constantFrom(...CATEGORIES),
  description: fc.option(fc.constantFrom('fresh bread', 'aged cheese', 'crisp apple'), {
    nil: null,
  }),
  priceCents: fc.integer({ min: 1, max: 20 }),
  stock: fc.integer({ min: 0, max: 2 }),
  archived: fc.boolean(),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  day: fc.integer({ min: 1, max: 5 }),
});

const arbQuery = fc.record({
  q: fc.option(
    fc
      .array(fc.constantFrom('ap', 'br', 'che', 'chips', 'fresh', 'dairy', 'b'), {
        minLength: 1,
        maxLength: 2,
      })
      .map((w) => w.join(' ')),
    { nil: undefined },
  ),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
  minPrice: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  inStock: fc.option(fc.boolean(), { nil: undefined }),
  minRating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  sort: fc.constantFrom(...SEARCH_SORTS),
  limit: fc.integer({ min: 1, max: 7 }),
});

describe('the in-memory search index against a plain reference', () => {
  it('finds the same products, counts the same facets, and pages each sort without overlap', () => {
    fc.assert(
      fc.property(fc.array(arbProduct, { maxLength: 40 }), arbQuery, (specs, spec) => {
        const products = specs.map((s, i) =>
          product({
            ...s,
            id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            ratingAverage: s.rating,
            ratingCount: s.rating === null ? 0 : s.rating * 2,
            createdAt: new Date(Date.UTC(2026, 0, s.day)).toISOString(),
          }),
        );
        const index = new MemoryIndex();
        for (const p of products) index.put(p);
        const q: IndexQuery = { ...spec, page: 1 };
        const expected = reference(products, q);
        const all: string[] = [];
        for (let page = 1; page <= Math.ceil(expected.hits.length / q.limit) + 1; page++) {
          const result = index.search({ ...q, page });
          expect(result.total).toBe(expected.hits.length);
          expect(new Map(result.facets.map((f) => [f.category, f.count]))).toEqual(expected.counts);
          all.push(...result.items.map((hit) => hit.id));
        }
        const sort = q.sort === 'relevance' && !q.q ? 'name' : q.sort;
        if (sort === 'relevance') {
          expect([...all].sort()).toEqual(expected.hits.map((p) => p.id).sort());
        } else {
          expect(all).toEqual([...expected.hits].sort(ORDERS[sort]).map((p) => p.id));
        }
      }),
      { numRuns: 300 },
    );
  });
});
