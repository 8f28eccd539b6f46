import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import type { BackupManifest } from '@mfm/platform/backup/backup-archive';
import { eventually } from './platform';
import { moduleSql } from './module-sql';
import type { Store } from './store';

/** A backup's manifest, read from the archive as an operator would (`tar -xzf … manifest.json`). */
export async function manifestOf(file: string, scratch: string): Promise<BackupManifest> {
  await tar.x({ file, cwd: scratch }, ['manifest.json']);
  return JSON.parse(readFileSync(join(scratch, 'manifest.json'), 'utf8')) as BackupManifest;
}

interface OrderRow {
  id: string;
  status: string;
  requested: string;
}

/** Every order of a store's orders database, with its lines. */
export async function storedOrders(
  store: Store,
): Promise<
  Array<{ id: string; status: string; requested: Array<{ productId: string; quantity: number }> }>
> {
  const rows = await moduleSql<OrderRow>(
    store,
    'orders',
    'SELECT id, status, requested FROM customer_order',
  );
  return rows.map((row) => ({ ...row, requested: JSON.parse(row.requested) }));
}

interface ProductRow {
  id: string;
  name: string;
  priceCents: number;
  stock: number;
  version: number;
}

const productColumns = 'id, name, "priceCents", stock, version';

/** The same row from either engine and either table (PostgreSQL answers bigints as text). */
const sameShape = (rows: ProductRow[]) =>
  rows.map((row) => ({
    id: row.id,
    name: row.name,
    priceCents: Number(row.priceCents),
    stock: Number(row.stock),
    version: Number(row.version),
  }));

/**
 * Waits until the store's invariants hold, once recovery, reconciliation and the outboxes have run:
 * no order PENDING; for each product, stock + what confirmed orders hold = its initial stock;
 * every confirmed (or since cancelled) order audited as placed exactly once; the search index
 * the same as the catalogue. Gives the orders and products it read.
 */
export async function expectInvariants(
  store: Store,
  initialStock: Map<string, number>,
  timeoutMs = 60_000,
) {
  const orders = await eventually(
    async () => {
      const all = await storedOrders(store);
      return all.every((order) => order.status !== 'PENDING') && all;
    },
    'no order left PENDING',
    timeoutMs,
  );
  const ids = [...initialStock.keys()];
  const marks = ids.map(() => '?').join(', ');
  const products = sameShape(
    await moduleSql<ProductRow>(
      store,
      'products',
      `SELECT ${productColumns} FROM product WHERE id IN (${marks})`,
      ids,
    ),
  );
  const held = new Map(ids.map((id) => [id, 0]));
  for (const order of orders.filter((o) => o.status === 'CONFIRMED'))
    for (const line of order.requested)
      if (held.has(line.productId))
        held.set(line.productId, (held.get(line.productId) ?? 0) + line.quantity);
  expect(Object.fromEntries(products.map((p) => [p.id, p.stock + (held.get(p.id) ?? 0)]))).toEqual(
    Object.fromEntries(initialStock),
  );

  const placed = orders.filter((o) => o.status === 'CONFIRMED' || o.status === 'CANCELLED');
  await eventually(
    async () => {
      const audited = new Map(
        (
          await moduleSql<{ subjectId: string; n: number }>(
            store,
            'logging',
            `SELECT "subjectId", COUNT(*) AS n FROM audit_event WHERE type = 'order_placed' GROUP BY "subjectId"`,
          )
        ).map((row) => [row.subjectId, Number(row.n)]),
      );
      return placed.every((order) => audited.get(order.id) === 1);
    },
    'every placed order audited exactly once',
    timeoutMs,
  );

  const catalogue = sameShape(
    await moduleSql<ProductRow>(
      store,
      'products',
      `SELECT ${productColumns} FROM product ORDER BY id`,
    ),
  );
  let indexed: ReturnType<typeof sameShape> = [];
  await eventually(
    async () => {
      indexed = sameShape(
        await moduleSql<ProductRow>(
          store,
          'search',
          `SELECT ${productColumns} FROM search_product ORDER BY id`,
        ),
      );
      return JSON.stringify(indexed) === JSON.stringify(catalogue);
    },
    'the search index to match the catalogue',
    timeoutMs,
  ).catch((error: unknown) => {
    // What differs, for the failure's report.
    expect(indexed).toEqual(catalogue);
    throw error;
  });
  return { orders, products };
}
