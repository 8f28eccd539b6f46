import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { selectSql } from '@mfm/platform/database/raw-rows';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { CataloguePages } from './catalogue-pages.service';
import { ListProductsQuery, PRODUCT_SORTS } from './dto/list-products.query';
import { Product } from './entities/product.entity';
import { productsTestDatabase } from './products-test-database.spec-helper';

const CATEGORIES = ['dairy', 'bakery', 'produce'];
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('CataloguePages (real SQLite, in memory)', () => {
  let db: DataSource;
  let tx: TransactionRunner;
  let pages: CataloguePages;
  const query = (fields: Record<string, unknown>) =>
    plainToInstance(ListProductsQuery, fields, { exposeDefaultValues: true });

  beforeAll(async () => {
    db = await productsTestDatabase();
    tx = new TransactionRunner(db, 'products');
    pages = new CataloguePages(db.getRepository(Product), tx);
    // 300 products; prices and dates repeat so ties are broken by id, a fifth is unrated.
    const rows = Array.from({ length: 300 }, (_, n) => ({
      id: id((n * 7919) % 1000),
      name: `Product ${String(n).padStart(3, '0')}`,
      nameKey: `product ${String(n).padStart(3, '0')}`,
      description: null,
      category: CATEGORIES[n % 3],
      priceCents: 100 + (n % 17) * 10,
      stock: n % 4,
      archived: n % 50 === 0,
      version: 1,
      revision: 1,
      ratingAverage: n % 5 === 1 ? null : 1 + (n % 9) / 2,
      ratingCount: n % 5 === 1 ? 0 : 1,
      createdAt: new Date(Date.UTC(2026, 0, 1 + (n % 11))),
      updatedAt: new Date(Date.UTC(2026, 0, 1 + (n % 11))),
    }));
    await tx.run((manager) => manager.insert(Product, rows));
  });

  afterAll(async () => {
    tx.onApplicationShutdown();
    await db.destroy();
  });

  const cases = PRODUCT_SORTS.flatMap((sort) =>
    (['asc', 'desc'] as const).flatMap((order) =>
      [undefined, 'dairy'].map((category) => ({ sort, order, category })),
    ),
  );

  it.each(cases)(
    'reads an index in page order, without sorting: %o',
    async ({ sort, order, category }) => {
      const q = query({ sort, order, category, page: 3 });
      const key: [string | number | null, string] = [
        sort === 'updatedAt' ? new Date(Date.UTC(2026, 0, 4)).toISOString() : 5,
        id(1),
      ];
      for (const withKey of [false, true])
        for (const { rest, values } of pages.pageQueries(q, 20, withKey ? key : undefined)) {
          const sql = `EXPLAIN QUERY PLAN ${selectSql(db.getRepository(Product), rest)}`;
          const plan = (await db.query<Array<{ detail: string }>>(sql, values)).map(
            (row) => row.detail,
          );
          expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE/);
          expect(plan.join(' | ')).toMatch(/USING (COVERING )?INDEX IDX_product_/);
        }
    },
  );

  it.each(cases)(
    'walking the cursors gives the same pages as page numbers: %o',
    async ({ sort, order, category }) => {
      const byOffset: string[][] = [];
      const byCursor: string[][] = [];
      let cursor: string | undefined;
      for (let page = 1; ; page++) {
        const offset = await pages.list(query({ sort, order, category, page, limit: 17 }));
        const keyset = await pages.list(query({ sort, order, category, page, limit: 17, cursor }));
        byOffset.push(offset.items.map((p) => p.id));
        byCursor.push(keyset.items.map((p) => p.id));
        expect(keyset.total).toBe(offset.total);
        if (!keyset.nextCursor) break;
        cursor = keyset.nextCursor;
      }
      expect(byCursor).toEqual(byOffset);
      const all = byOffset.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(category ? 98 : 294);
      if (sort === 'rating') {
        // Unrated products come last in either direction.
        const products = await db.getRepository(Product).findBy({});
        const rated = new Map(products.map((p) => [p.id, p.ratingAverage !== null]));
        const firstUnrated = all.findIndex((x) => !rated.get(x));
        expect(all.slice(firstUnrated).every((x) => !rated.get(x))).toBe(true);
        expect(firstUnrated).toBeGreaterThan(0);
      }
    },
  );

  it('counts once per catalogue state: again after a write of the module, not per request', async () => {
    const q = query({ category: 'bakery' });
    const before = await pages.list(q);
    const [one, two] = before.items;
    // Behind the module's back (no write of its own): the kept count is still answered.
    await db.query('UPDATE product SET archived = 1 WHERE id = ?', [one.id]);
    expect((await pages.list(query({ category: 'bakery', page: 2 }))).total).toBe(before.total);
    // A write of the module: counted again.
    await tx.run((manager) => manager.update(Product, { id: two.id }, { archived: true }));
    expect((await pages.list(q)).total).toBe(before.total - 2);
  });

  it('refuses a cursor made for other filters or another page, naming the field', async () => {
    const first = await pages.list(query({ category: 'dairy' }));
    const cursor = first.nextCursor as string;
    await expect(pages.list(query({ category: 'produce', page: 2, cursor }))).rejects.toMatchObject(
      {
        response: { statusCode: 400, details: { fields: [{ field: 'cursor' }] } },
      },
    );
    await expect(pages.list(query({ category: 'dairy', page: 3, cursor }))).rejects.toMatchObject({
      response: { statusCode: 400, details: { fields: [{ field: 'cursor' }] } },
    });
    await expect(pages.list(query({ page: 2, cursor: 'bm9wZQ' }))).rejects.toMatchObject({
      response: { statusCode: 400, details: { fields: [{ field: 'cursor' }] } },
    });
  });
});
