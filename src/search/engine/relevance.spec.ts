import { DEMO_CATALOGUE } from '@mfm/demo/demo-catalogue';
import type { IndexedProduct } from '../search-index';
import { MemoryIndex, type SynonymLookup } from './memory-index';
import { RELEVANCE_CASES, RELEVANCE_SYNONYMS, type RelevanceCase } from './relevance-cases';

// The benchmark's catalogue generator (plain JavaScript, shared with npm run bench).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateCatalogue } = require('../../../bench/catalogue') as {
  generateCatalogue(count: number): Array<Omit<IndexedProduct, 'archived' | 'revision'>>;
};

/** The share of cases whose product must be among the first three hits. */
const TARGET = 0.95;

function indexOf(products: Array<Omit<IndexedProduct, 'createdAt' | 'revision' | 'archived'>>) {
  const index = new MemoryIndex();
  products.forEach((p, i) =>
    index.put({
      ...p,
      archived: false,
      revision: 1,
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    }),
  );
  return index;
}

const synonyms: SynonymLookup = (word) =>
  RELEVANCE_SYNONYMS.filter((group) => group.includes(word)).flatMap((group) =>
    group.filter((other) => other !== word),
  );

describe('search relevance: the expected product among the first three hits', () => {
  const indexes = {
    demo: indexOf(
      DEMO_CATALOGUE.map(([name, category, priceCents, stock, description], i) => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name,
        category,
        priceCents,
        stock,
        description,
        ratingAverage: null,
        ratingCount: 0,
      })),
    ),
    bench: indexOf(
      generateCatalogue(100_000).map((p) => ({ ...p, ratingAverage: null, ratingCount: 0 })),
    ),
  };

  const top3 = (c: RelevanceCase) =>
    indexes[c.catalogue]
      .search({ q: c.q, sort: 'relevance', page: 1, limit: 3 }, synonyms)
      .items.map((hit) => hit.name);

  it(`finds at least ${TARGET * 100} % of the cases, in each catalogue`, () => {
    const missed: string[] = [];
    const lines: string[] = [];
    for (const catalogue of ['demo', 'bench'] as const) {
      const cases = RELEVANCE_CASES.filter((c) => c.catalogue === catalogue);
      const byKind = new Map<string, [number, number]>();
      for (const c of cases) {
        const found = top3(c);
        const hit = found.includes(c.expect);
        if (!hit)
          missed.push(`${catalogue} ${c.kind} "${c.q}": ${c.expect} not in [${found.join('; ')}]`);
        const [n, of] = byKind.get(c.kind) ?? [0, 0];
        byKind.set(c.kind, [n + Number(hit), of + 1]);
      }
      const found = [...byKind.values()].reduce((sum, [n]) => sum + n, 0);
      lines.push(
        `${catalogue}: ${found}/${cases.length} (${((100 * found) / cases.length).toFixed(1)} %) — ` +
          [...byKind].map(([kind, [n, of]]) => `${kind} ${n}/${of}`).join(', '),
      );
    }
    // The report: kept in the test output, with every miss.
    process.stdout.write(`search relevance, top 3\n${lines.join('\n')}\n${missed.join('\n')}\n`);
    for (const catalogue of ['demo', 'bench'] as const) {
      const cases = RELEVANCE_CASES.filter((c) => c.catalogue === catalogue);
      const misses = missed.filter((m) => m.startsWith(`${catalogue} `)).length;
      expect((cases.length - misses) / cases.length).toBeGreaterThanOrEqual(TARGET);
    }
  });

  it('has at least 100 cases, with every kind in both catalogues', () => {
    expect(RELEVANCE_CASES.length).toBeGreaterThanOrEqual(100);
    for (const catalogue of ['demo', 'bench'])
      for (const kind of ['word', 'prefix', 'typo', 'two-words', 'accent', 'synonym'])
        expect(
          RELEVANCE_CASES.filter((c) => c.catalogue === catalogue && c.kind === kind).length,
        ).toBeGreaterThan(0);
  });
});
