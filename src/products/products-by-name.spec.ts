import { DataSource, Logger } from 'typeorm';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import type { Outbox } from '@mfm/contracts/outbox';
import { Product } from './entities/product.entity';
import { productsTestDatabase } from './products-test-database.spec-helper';
import { ProductsService } from './products.service';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Records the SELECTs TypeORM sends, with their parameters. */
class SelectRecorder implements Logger {
  readonly selects: Array<[string, unknown[]]> = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (query.startsWith('SELECT')) this.selects.push([query, parameters ?? []]);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

describe('ProductsService.facts by name (real SQLite, in memory)', () => {
  let db: DataSource;
  let tx: TransactionRunner;
  let service: ProductsService;
  const recorder = new SelectRecorder();

  beforeAll(async () => {
    db = await productsTestDatabase(recorder);
    tx = new TransactionRunner(db, 'products');
    // Reading facts sends nothing: the outbox is not involved.
    service = new ProductsService(db.getRepository(Product), undefined as unknown as Outbox);
    const rows = Array.from({ length: 500 }, (_, n) => ({
      id: id(n),
      name: `Product ${n}`,
      nameKey: `product ${n}`,
      description: null,
      category: 'pantry',
      priceCents: 100 + n,
      stock: 5,
      // The archived one shares its name with a live product, as a re-created product does.
      archived: n === 499,
      version: 1,
      revision: 1,
      ratingAverage: null,
      ratingCount: 0,
      createdAt: new Date(Date.UTC(2026, 0, 1)),
      updatedAt: new Date(Date.UTC(2026, 0, 1)),
    }));
    rows[499].name = 'Product 7';
    rows[499].nameKey = 'product 7';
    await tx.run((manager) => manager.insert(Product, rows));
  });

  afterAll(async () => {
    tx.onApplicationShutdown();
    await db.destroy();
  });

  it('finds products by name whatever the case and spaces, archived ones flagged and last', async () => {
    const facts = await service.facts({ names: ['  PRODUCT 7 ', 'product 42', 'no such thing'] });
    // Live ones first (in no particular order), then the archived one.
    const live = facts.slice(0, 2).sort((x, y) => x.id.localeCompare(y.id));
    expect([...live, ...facts.slice(2)].map((f) => [f.id, f.name, f.archived])).toEqual([
      [id(7), 'Product 7', false],
      [id(42), 'Product 42', false],
      [id(499), 'Product 7', true],
    ]);
  });

  it('reads the name index, never the whole catalogue', async () => {
    recorder.selects.length = 0;
    await service.facts({ names: ['product 1', 'product 2'] });
    expect(recorder.selects).toHaveLength(1);
    const [sql, parameters] = recorder.selects[0];
    const plan = await db.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, parameters);
    const steps = plan.map((step) => step.detail);
    expect(
      steps.some((step) =>
        /^SEARCH .*USING INDEX IDX_product_name \(archived=\? AND nameKey=\?\)/.test(step),
      ),
    ).toBe(true);
    expect(steps.filter((step) => step.startsWith('SCAN'))).toEqual([]);
  });
});
