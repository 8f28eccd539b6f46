import { DataSource } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { STORED_PAGE, SqliteSearchIndex } from './sqlite-search-index';
import { SearchIndexService } from './search-index.service';
import { SEARCH_ENTITIES, SEARCH_MIGRATIONS } from './search-schema';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const doc = (n: number, revision = 1, name = `Oat drink ${n}`): ProductDocument => ({
  id: id(n),
  name,
  description: n % 2 ? 'Creamy, from Sweden' : null,
  category: n % 3 ? 'beverages' : 'dairy',
  priceCents: 100 + n,
  stock: n % 5,
  archived: false,
  version: revision,
  revision,
  ratingAverage: null,
  ratingCount: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

async function* pagesOf(docs: ProductDocument[], size: number, failAfter?: number) {
  for (let i = 0; i < docs.length; i += size) {
    if (failAfter !== undefined && i >= failAfter) throw new Error('products went away');
    yield docs.slice(i, i + size);
  }
}

describe('search index bulk load (real SQLite FTS5, in memory)', () => {
  let db: DataSource;
  let index: SearchIndexService;
  const q = (text: string) => index.search({ q: text, sort: 'relevance', page: 1, limit: 100 });
  const triggers = async () =>
    (
      await db.query<Array<{ name: string }>>(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
      )
    ).map((row) => row.name);
  /** The product table's indexes with their definitions (the unique ones have none). */
  const indexes = async () =>
    db.query<Array<{ name: string; sql: string | null }>>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_product' ORDER BY name",
    );

  beforeEach(async () => {
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: SEARCH_ENTITIES,
      migrations: SEARCH_MIGRATIONS,
      migrationsRun: true,
    });
    await db.initialize();
    index = new SearchIndexService(new SqliteSearchIndex(db), new TransactionRunner(db, 'search'), {
      search: { engine: 'sql' },
    });
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('loads every document in pages, searchable at once, and puts the triggers and indexes back', async () => {
    const before = await triggers();
    expect(before).toHaveLength(3);
    const indexesBefore = await indexes();
    expect(indexesBefore.filter((index) => index.sql !== null).length).toBeGreaterThanOrEqual(2);
    const progress: number[] = [];
    const docs = Array.from({ length: 1234 }, (_, n) => doc(n));
    expect(await index.applyAll(pagesOf(docs, 500), (read) => progress.push(read))).toBe(1234);
    expect(progress).toEqual([500, 1000, 1234]);
    expect(await index.count()).toBe(1234);
    expect((await q('oat')).total).toBe(1234);
    expect((await q('creamy')).total).toBe(617);
    expect(await triggers()).toEqual(before);
    expect(await indexes()).toEqual(indexesBefore);
    const plan = await db.query<Array<{ detail: string }>>(
      "EXPLAIN QUERY PLAN SELECT id FROM search_product WHERE archived = 0 AND nameKey = 'oat drink 7'",
    );
    expect(plan.map((row) => row.detail).join(' | ')).toMatch(/USING (COVERING )?INDEX/);
    // FTS5 gathers up to 16 MB of terms in memory per segment from now on.
    expect(await db.query("SELECT v FROM search_fts_config WHERE k = 'hashsize'")).toEqual([
      { v: 16 * 1024 * 1024 },
    ]);
    // The triggers work again: a later change is searchable under its new name only.
    await index.apply([doc(7, 2, 'Barista oat drink 7')]);
    expect((await q('barista')).items.map((hit) => hit.id)).toEqual([id(7)]);
  });

  it('reads the stored products for the memory index in id order from the id index, with no sort', async () => {
    await index.applyAll(pagesOf([doc(3), doc(1), { ...doc(2), archived: true }], 10));
    const plan = await db.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${STORED_PAGE}`, [
      '',
      10,
    ]);
    expect(plan.map((row) => row.detail).join(' | ')).not.toMatch(/TEMP B-TREE|SCAN/);
    const stored = new SqliteSearchIndex(db);
    const first = await stored.storedPage(undefined, 2);
    expect(first.map((p) => [p.id, p.archived])).toEqual([
      [id(1), false],
      [id(2), true],
    ]);
    expect((await stored.storedPage(first[1].id, 2)).map((p) => p.id)).toEqual([id(3)]);
  });

  it("re-indexes a product's words only when its text changed, not for a stock or price move", async () => {
    await index.apply([doc(1)]);
    /** The FTS index's stored segments: a re-index of the product's words writes new ones. */
    const ftsWrites = async () =>
      (
        await db.query<Array<{ n: number; blocks: number }>>(
          'SELECT COUNT(*) AS n, TOTAL(length(block)) AS blocks FROM search_fts_data',
        )
      )[0];
    const before = await ftsWrites();
    await index.apply([{ ...doc(1, 2), stock: 40, priceCents: 999 }]);
    expect(await ftsWrites()).toEqual(before);
    expect((await q('oat')).items.map((hit) => hit.priceCents)).toEqual([999]);

    await index.apply([doc(1, 3, 'Barista oat drink 1')]);
    expect(await ftsWrites()).not.toEqual(before);
    expect((await q('barista')).items.map((hit) => hit.id)).toEqual([id(1)]);
    expect((await q('oat')).total).toBe(1);
  });

  it('keeps the highest revision of a product when reloading', async () => {
    await index.apply([doc(1, 5, 'Kefir 1')]);
    await index.applyAll(pagesOf([doc(1, 3), doc(2, 1)], 10));
    expect((await q('kefir')).items.map((hit) => hit.id)).toEqual([id(1)]);
    expect((await q('oat')).items.map((hit) => hit.id)).toEqual([id(2)]);
  });

  it('leaves the index and its triggers as they were when the load fails midway', async () => {
    await index.apply([doc(1, 1, 'Kefir 1')]);
    const docs = Array.from({ length: 300 }, (_, n) => doc(n + 10));
    const indexesBefore = await indexes();
    await expect(index.applyAll(pagesOf(docs, 100, 200))).rejects.toThrow('products went away');
    expect(await index.count()).toBe(1);
    expect(await triggers()).toHaveLength(3);
    expect(await indexes()).toEqual(indexesBefore);
    expect((await q('oat')).total).toBe(0);
    await index.apply([doc(2, 1, 'Kefir 2')]);
    expect((await q('kefir')).total).toBe(2);
  });
});
