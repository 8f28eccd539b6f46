import { randomUUID } from 'node:crypto';
import { DataSource, type Logger } from 'typeorm';
import { BATCH_PATTERNS } from '@mfm/contracts/outbox-batches';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import type { OutboxTarget } from '@mfm/platform/outbox/outbox';
import type { Outbox } from '@mfm/contracts/outbox';
import { type SentMessage, recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { Product } from './entities/product.entity';
import { ProductReview } from './entities/product-review.entity';
import { StockReservation } from './entities/stock-reservation.entity';
import { ProductsInitial1763900000002 } from './migrations/1763900000002-products-initial';
import { ProductsReviews1765000000002 } from './migrations/1765000000002-products-reviews';
import { ProductsCatalogueSorts1766000000002 } from './migrations/1766000000002-products-catalogue-sorts';

const PRODUCTS_ENTITIES = [Product, StockReservation, ProductReview];
const PRODUCTS_MIGRATIONS = [
  ProductsInitial1763900000002,
  ProductsReviews1765000000002,
  ProductsCatalogueSorts1766000000002,
];

/** The products schema, migrated, in an in-memory SQLite database: for plan and query tests. */
export function productsTestDatabase(logger?: Logger): Promise<DataSource> {
  return new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: PRODUCTS_ENTITIES,
    migrations: PRODUCTS_MIGRATIONS,
    migrationsRun: true,
    ...(logger && { logging: ['query' as const], logger }),
  }).initialize();
}

/** The products database as the module opens it (its outbox included), in memory. */
export function productsServiceDatabase(): Promise<DataSource> {
  return testDatabase([...PRODUCTS_ENTITIES, OutboxMessage], PRODUCTS_MIGRATIONS);
}

/** What a products service under test writes to, and what it has sent. */
export interface ProductsServiceData {
  readonly db: DataSource;
  readonly outbox: Outbox;
  readonly sent: SentMessage[];
}

/**
 * For each test of the describe that calls it: a fresh products database and an outbox recording
 * what it sends, closed after the test.
 */
export function useProductsServiceDatabase(): ProductsServiceData {
  const data = {} as { db: DataSource; outbox: Outbox; sent: SentMessage[] };
  beforeEach(async () => {
    data.db = await productsServiceDatabase();
    const { outbox, sent } = recordingOutbox('products', data.db);
    Object.assign(data, { outbox, sent });
  });
  afterEach(async () => {
    await data.outbox.onApplicationShutdown();
    await data.db.destroy();
  });
  return data;
}

/** Inserts a product row as the service would have left it: `fields` over a unique pantry item. */
export async function insertProduct(
  db: DataSource,
  fields: Partial<Product> = {},
): Promise<Product> {
  const name = fields.name ?? `Product ${randomUUID()}`;
  const row: Product = {
    id: randomUUID(),
    name,
    nameKey: name.toLowerCase(),
    description: null,
    category: 'pantry',
    priceCents: 100,
    stock: 10,
    archived: false,
    version: 1,
    revision: 1,
    ratingAverage: null,
    ratingCount: 0,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...fields,
  };
  await db.getRepository(Product).insert(row);
  return row;
}

/**
 * What a recording outbox delivered to `target` as `pattern`, one payload per message: messages
 * queued together go out as one batch (`{ items }`), which counts as its items.
 */
export function delivered<T>(sent: SentMessage[], target: OutboxTarget, pattern: string): T[] {
  const batch = BATCH_PATTERNS[pattern];
  return sent
    .filter((m) => m.target === target)
    .flatMap((m) => {
      if (m.pattern === pattern) return [m.payload as T];
      return m.pattern === batch ? (m.payload as { items: T[] }).items : [];
    });
}
