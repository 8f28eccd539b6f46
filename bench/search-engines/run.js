'use strict';
/**
 * In-memory search libraries, measured on the bench's catalogue and search mix with what the
 * store's search answers: every match of the words (each a prefix as typed, typos tolerated by
 * length), the category filter, counts per category, one of six sorts, a page of 20.
 *
 * node --expose-gc bench/search-engines/run.js [products=100000]  (npm ci in this folder first)
 * Prints, per library: the build time, the heap it holds, and the time of one query (p50, p99,
 * mean) over two passes of 1,500 distinct queries, one query at a time on one core.
 */
const MiniSearch = require('minisearch');
const { create, insertMultiple, search } = require('@orama/orama');
const { Document } = require('flexsearch');
const { generateCatalogue, searchMix } = require('../catalogue');

const COUNT = Number(process.argv[2] ?? 100_000);
const PAGE = 20;

const fold = (text) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
// One edit from 5 letters, two from 9, as the search engines the store is measured against.
const edits = (term) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : 0);

const catalogue = generateCatalogue(COUNT);
const docs = catalogue.map((p, i) => ({
  i,
  name: p.name,
  category: p.category,
  description: p.description,
  price: p.priceCents,
  rating: (i * 37) % 50,
  created: i,
}));
const queries = searchMix(catalogue).map((path) => {
  const params = new URL(path, 'http://x').searchParams;
  return { q: params.get('q'), category: params.get('category'), sort: params.get('sort') };
});
const SORTS = {
  price_asc: (a, b) => a.price - b.price || a.i - b.i,
  price_desc: (a, b) => b.price - a.price || a.i - b.i,
  name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  newest: (a, b) => b.created - a.created,
  rating: (a, b) => b.rating - a.rating || a.i - b.i,
};

/** Matches (doc index and score) to the answer: the category filter, facets, the sort, a page. */
function answer(matches, { category, sort }) {
  const facets = {};
  let kept = [];
  for (const m of matches) {
    const doc = docs[m.id];
    facets[doc.category] = (facets[doc.category] ?? 0) + 1;
    if (!category || doc.category === category) kept.push({ doc, score: m.score });
  }
  if (SORTS[sort]) kept.sort((a, b) => SORTS[sort](a.doc, b.doc));
  else kept.sort((a, b) => b.score - a.score || a.doc.i - b.doc.i);
  kept = kept.slice(0, PAGE);
  return { total: matches.length, facets, items: kept.map((k) => k.doc) };
}

const engines = {
  minisearch: {
    build() {
      const index = new MiniSearch({
        idField: 'i',
        fields: ['name', 'category', 'description'],
        processTerm: (term) => fold(term),
        searchOptions: {
          boost: { name: 3, category: 2, description: 1 },
          prefix: true,
          fuzzy: (term) => edits(term),
          combineWith: 'AND',
        },
      });
      index.addAll(docs);
      return index;
    },
    run: (index, query) => answer(index.search(query.q), query),
  },
  orama: {
    async build() {
      const db = create({
        schema: {
          name: 'string',
          category: 'enum',
          description: 'string',
          price: 'number',
          rating: 'number',
          created: 'number',
        },
      });
      await insertMultiple(
        db,
        docs.map((d) => ({ ...d, id: String(d.i) })),
        5000,
      );
      return db;
    },
    async run(db, { q, category, sort }) {
      const sortBy = {
        price_asc: { property: 'price', order: 'ASC' },
        price_desc: { property: 'price', order: 'DESC' },
        newest: { property: 'created', order: 'DESC' },
        rating: { property: 'rating', order: 'DESC' },
      }[sort];
      const result = await search(db, {
        term: q,
        properties: ['name', 'description'],
        boost: { name: 3 },
        tolerance: Math.max(...q.split(/\s+/).map(edits)),
        threshold: 0,
        facets: { category: {} },
        ...(category ? { where: { category: { eq: category } } } : {}),
        ...(sortBy ? { sortBy } : {}),
        limit: PAGE,
      });
      return {
        total: result.count,
        facets: result.facets?.category?.values ?? {},
        items: result.hits.map((h) => docs[Number(h.id)]),
      };
    },
  },
  flexsearch: {
    build() {
      const index = new Document({
        document: { id: 'i', index: ['name', 'category', 'description'] },
        tokenize: 'forward',
        encoder: 'LatinBalance',
      });
      for (const d of docs) index.add(d);
      return index;
    },
    run(index, query) {
      // No scores: a match in the name ranks above one in the category, above the description.
      const seen = new Map();
      const fields = index.search(query.q, { limit: COUNT });
      const weight = { name: 3, category: 2, description: 1 };
      for (const { field, result } of fields)
        for (const [rank, id] of result.entries())
          seen.set(id, Math.max(seen.get(id) ?? 0, weight[field] - rank / COUNT));
      return answer(
        [...seen].map(([id, score]) => ({ id, score })),
        query,
      );
    },
  },
};

const heap = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed;
};
const percentile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (x) => Math.round(x * 1000) / 1000;

/** Spot checks of what a shopper expects: the word as typed, a typo, a prefix. */
const EXPECT = [
  ['chocolte', /chocolate/],
  ['yoghurt', /yogurt/],
  ['sourdogh', /sourdough/],
  ['croiss', /croissant/],
];

async function main() {
  const only = process.env.ENGINES?.split(',');
  for (const [name, engine] of Object.entries(engines)) {
    if (only && !only.includes(name)) continue;
    const before = heap();
    const began = performance.now();
    const index = await engine.build();
    const buildMs = performance.now() - began;
    const heapMb = (heap() - before) / 1048576;
    const times = [];
    let matched = 0;
    for (let pass = 0; pass < 2; pass++)
      for (const query of queries) {
        const t = performance.now();
        const result = await engine.run(index, query);
        if (pass === 1) times.push(performance.now() - t);
        if (pass === 1 && result.total > 0) matched++;
      }
    times.sort((a, b) => a - b);
    const spot = [];
    for (const [q, wanted] of EXPECT) {
      const result = await engine.run(index, { q, category: null, sort: null });
      spot.push(
        `${q}: ${result.items.slice(0, 3).some((d) => wanted.test(d.name)) ? 'top 3' : 'missed'}`,
      );
    }
    console.log(
      JSON.stringify({
        engine: name,
        products: COUNT,
        buildSeconds: round(buildMs / 1000),
        heapMb: Math.round(heapMb),
        queries: times.length,
        answered: matched,
        p50Ms: round(percentile(times, 0.5)),
        p99Ms: round(percentile(times, 0.99)),
        meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
        spot,
      }),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
