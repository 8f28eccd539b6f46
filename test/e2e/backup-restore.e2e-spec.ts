import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { snapshotSqlite, writeBackupArchive } from '@mfm/platform/backup/backup-archive';
import type { Order, Product } from '../support/api-types';
import { DEMO, login, newCustomer } from '../support/accounts';
import { expectInvariants, manifestOf, storedOrders } from '../support/backups';
import { createProduct } from '../support/catalogue';
import { runEntrypoint } from '../support/launcher';
import { moduleSql } from '../support/module-sql';
import { useTempDir } from '../support/temp-dir';
import { createModuleDatabases, dropDatabases, POSTGRES_BASE } from '../support/postgres';
import { MODULES, Store, TOPOLOGIES } from '../support/store';

jest.setTimeout(300_000);

const PASSPHRASE = 'a long passphrase for the tests';

/** The `<MODULE>_DATABASE_URL` of each module a store runs on PostgreSQL. */
const databaseUrlsOf = (store: Store): Record<string, string> =>
  Object.fromEntries(
    MODULES.flatMap((module) => {
      const url = store.databaseUrl(module);
      return url ? [[`${module.toUpperCase()}_DATABASE_URL`, url]] : [];
    }),
  );
const STOCK = 500;

/**
 * The topology is this suite's subject: in one process the backup reads five files that one
 * process writes; split, five processes write them while the backup runs.
 */
describe.each(TOPOLOGIES)('backup while orders and edits run, then restore (%s)', (topology) => {
  let store: Store | undefined;
  let restored: Store | undefined;
  let targets: { names: string[] } = { names: [] };

  afterAll(async () => {
    await store?.close();
    await restored?.close();
    await dropDatabases(targets.names);
  });

  const scratch = useTempDir('mfm-backup-');

  it('keeps every write acknowledged before the backup, none made after its module was saved, and the invariants', async () => {
    const env = { RATE_LIMIT_ORDERS: '100000/60', BACKUP_PASSPHRASE: PASSPHRASE };
    store = await Store.start(topology, { env });
    const live = store;
    const employee = (await login(live, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
    const customer = (await newCustomer(live)).accessToken;
    const initialStock = new Map<string, number>();
    for (let i = 0; i < 3; i++) initialStock.set(await createProduct(live, employee, STOCK), STOCK);
    const productIds = [...initialStock.keys()];

    // What was acknowledged, and when each request was sent.
    const orders: Array<{ id: string; sentAt: number }> = [];
    const cancels: string[] = [];
    const edits: Array<{ id: string; version: number; sentAt: number }> = [];
    let stop = false;
    let backupStartedAt = Number.POSITIVE_INFINITY;
    let afterBackup = 0;

    const shopper = async () => {
      while (!stop) {
        const sentAt = Date.now();
        const res = await live.request<Order>('orders', 'POST', '/api/orders', {
          token: customer,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            items: [
              { productId: productIds[orders.length % 3], quantity: 1 + (orders.length % 2) },
            ],
          },
        });
        expect(res.status).toBe(201);
        orders.push({ id: res.body.id, sentAt });
        if (sentAt > backupStartedAt) afterBackup++;
        // Every fifth order is cancelled again: stock comes back through products' outbox.
        if (orders.length % 5 === 0) {
          const cancel = await live.request<Order>(
            'orders',
            'POST',
            `/api/orders/${res.body.id}/cancel`,
            { token: customer },
          );
          expect(cancel.status).toBe(200);
          cancels.push(res.body.id);
        }
      }
    };
    const editor = async () => {
      for (let n = 1; !stop; n++) {
        const id = productIds[n % 3];
        const sentAt = Date.now();
        const res = await live.request<Product>('products', 'PATCH', `/api/products/${id}`, {
          token: employee,
          body: { name: `Backed-up product ${id.slice(0, 8)} edit ${n}`, priceCents: 100 + n },
        });
        expect(res.status).toBe(200);
        edits.push({ id, version: res.body.version, sentAt });
      }
    };
    // A failed request stops every writer.
    const guarded = (writer: () => Promise<void>) =>
      writer().catch((error: unknown) => {
        stop = true;
        throw error;
      });
    const load = Promise.all([shopper, shopper, shopper, editor].map(guarded));
    // Waits for the load to reach a point; a failed request ends the wait (and the test) at once.
    const until = (done: () => boolean) =>
      Promise.race([
        (async () => {
          while (!done() && !stop) await new Promise((r) => setTimeout(r, 20));
        })(),
        load.then(() => {
          throw new Error('the load stopped early');
        }),
      ]);
    await until(() => orders.length >= 30);
    const archive = join(scratch(), 'store.tar.gz');
    backupStartedAt = Date.now();
    // What the writers hold now was acknowledged before the backup began (one thread: no
    // response lands between these lines), whatever the clock's resolution says.
    const acknowledged = { orders: orders.length, cancels: cancels.length, edits: edits.length };
    // As an operator runs it beside the store: its data folder, or its databases' URLs.
    const backup = await runEntrypoint(['backup', '--out', archive], {
      DATA_DIR: live.dataDir('orders'),
      BACKUP_PASSPHRASE: PASSPHRASE,
      ...databaseUrlsOf(live),
    });
    expect(backup).toMatchObject({ code: 0 });
    expect(backup.output).toContain('sealed under BACKUP_PASSPHRASE');
    // The store keeps taking orders after the backup.
    await until(() => afterBackup >= 30);
    stop = true;
    await load;
    await live.close();
    store = undefined;

    const manifest = await manifestOf(archive, scratch());
    expect(Object.keys(manifest.modules)).toEqual([
      'search',
      'orders',
      'products',
      'users',
      'logging',
    ]);
    const takenAt = (module: string) => Date.parse(manifest.modules[module].takenAt as string);

    const dataDir = join(scratch(), 'restored');
    // On PostgreSQL, into new empty databases (dropped with the suite).
    const empty = await createModuleDatabases(MODULES);
    targets = empty;
    const restore = await runEntrypoint(['restore', archive, '--data-dir', dataDir], {
      BACKUP_PASSPHRASE: PASSPHRASE,
      ...empty.env,
    });
    expect(restore).toMatchObject({ code: 0 });
    restored = await Store.start(topology, { env: { ...env, ...empty.env }, dataDir });

    const { orders: kept, products } = await expectInvariants(restored, initialStock);
    const statusOf = new Map(kept.map((order) => [order.id, order.status]));
    // Acknowledged before the backup began: there (cancelled by then, or confirmed, or
    // cancelled after orders were saved and before products were: products' word holds).
    const cancelledBefore = new Set(cancels.slice(0, acknowledged.cancels));
    for (const order of orders.slice(0, acknowledged.orders))
      expect([order.id, statusOf.get(order.id)]).toEqual([
        order.id,
        cancelledBefore.has(order.id)
          ? 'CANCELLED'
          : expect.stringMatching(/^(CONFIRMED|CANCELLED)$/),
      ]);
    // Sent after orders' snapshot: not there.
    for (const order of orders.filter((o) => o.sentAt > takenAt('orders')))
      expect([order.id, statusOf.get(order.id)]).toEqual([order.id, undefined]);
    const versionOf = new Map(products.map((p) => [p.id, p.version]));
    for (const edit of edits.slice(0, acknowledged.edits))
      expect(versionOf.get(edit.id)).toBeGreaterThanOrEqual(edit.version);
    for (const edit of edits.filter((e) => e.sentAt > takenAt('products')))
      expect(versionOf.get(edit.id)).toBeLessThan(edit.version);
    expect(acknowledged.orders).toBeGreaterThanOrEqual(30);

    // The restored store serves: its customers sign in (their keys came with the backup) and order.
    const again = await login(restored, DEMO.customer.username, DEMO.customer.password);
    const order = await restored.request<Order>('orders', 'POST', '/api/orders', {
      token: again.accessToken,
      body: { items: [{ productId: productIds[0], quantity: 1 }] },
    });
    expect(order.status).toBe(201);
    expect(order.body.status).toBe('CONFIRMED');
  });
});

/** Archives made here from SQLite files: the run on PostgreSQL would repeat them exactly. */
const describeOnSqliteRun = POSTGRES_BASE ? describe.skip : describe;

describeOnSqliteRun(
  'restore closes the gap between the modules’ snapshots at start (single)',
  () => {
    let store: Store | undefined;

    afterAll(async () => {
      await store?.close();
    });

    const scratch = useTempDir('mfm-backup-gap-');

    it('releases stock of orders the backup does not have and cancels orders whose stock came back', async () => {
      store = await Store.start('single', { sqliteOnly: true });
      const live = store;
      const employee = (await login(live, DEMO.employee.username, DEMO.employee.password))
        .accessToken;
      const customer = (await newCustomer(live)).accessToken;
      const productId = await createProduct(live, employee, 100);
      const place = async (quantity: number) => {
        const res = await live.request<Order>('orders', 'POST', '/api/orders', {
          token: customer,
          body: { items: [{ productId, quantity }] },
        });
        expect(res.status).toBe(201);
        return res.body.id;
      };
      const kept = await place(5);
      const cancelledLater = await place(7);
      // Orders are saved first; then, before products is saved, one order is placed and one
      // cancelled: the gap a slow backup leaves between its snapshots.
      const dir = live.dataDir('orders');
      const copy = (module: string) => join(scratch(), `${module}.sqlite`);
      snapshotSqlite(join(dir, 'orders.sqlite'), copy('orders'));
      const placedLater = await place(11);
      const cancel = await live.request('orders', 'POST', `/api/orders/${cancelledLater}/cancel`, {
        token: customer,
      });
      expect(cancel.status).toBe(200);
      await expectInvariants(live, new Map([[productId, 100]]));
      for (const module of ['search', 'products', 'users', 'logging'])
        snapshotSqlite(join(dir, `${module}.sqlite`), copy(module));
      const keys = JSON.parse(readFileSync(join(dir, 'data-keys.json'), 'utf8')) as Record<
        string,
        string
      >;
      const archive = join(scratch(), 'gap.tar.gz');
      await writeBackupArchive(archive, {
        snapshots: Object.fromEntries(
          ['search', 'orders', 'products', 'users', 'logging'].map((m) => [m, copy(m)]),
        ),
        secrets: keys,
        passphrase: PASSPHRASE,
        app: 'test',
      });
      await live.close();
      store = undefined;

      const dataDir = join(scratch(), 'restored');
      expect(
        await runEntrypoint(['restore', archive, '--data-dir', dataDir], {
          BACKUP_PASSPHRASE: PASSPHRASE,
        }),
      ).toMatchObject({ code: 0 });
      store = await Store.start('single', { sqliteOnly: true, dataDir });
      await expectInvariants(store, new Map([[productId, 100]]));
      const statusOf = new Map((await storedOrders(store)).map((o) => [o.id, o.status]));
      expect(statusOf.get(kept)).toBe('CONFIRMED');
      expect(statusOf.get(cancelledLater)).toBe('CANCELLED');
      expect(statusOf.has(placedLater)).toBe(false);
      const [product] = await moduleSql<{ stock: number }>(
        store,
        'products',
        'SELECT stock FROM product WHERE id = ?',
        [productId],
      );
      expect(product.stock).toBe(100 - 5);
      const reconciled = await moduleSql<{ subjectId: string }>(
        store,
        'logging',
        `SELECT "subjectId" FROM audit_event WHERE type = 'order_reconciled'`,
      );
      expect(reconciled.map((row) => row.subjectId)).toEqual([cancelledLater]);
      expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['orders.sqlite']));
      expect(existsSync(join(dataDir, 'data-keys.json'))).toBe(true);
    });
  },
);

describeOnSqliteRun('restore from the command line', () => {
  /** Made by the previous schema (before products indexed its reservations' times). */
  const FIXTURE = join(__dirname, '../fixtures/backup-schema-2026-11.tar.gz');
  const FIXTURE_PASSPHRASE = 'fixture-passphrase-not-a-secret';
  let store: Store | undefined;

  afterAll(async () => {
    await store?.close();
  });

  const scratch = useTempDir('mfm-restore-');

  const restore = (file: string, dataDir: string, passphrase?: string) =>
    runEntrypoint(
      ['restore', file, '--data-dir', dataDir],
      passphrase ? { BACKUP_PASSPHRASE: passphrase } : {},
    );

  it('refuses a damaged archive, a wrong or missing passphrase and a non-empty folder, and writes nothing', async () => {
    const target = join(scratch(), 'target');
    const damaged = join(scratch(), 'damaged.tar.gz');
    const bytes = readFileSync(FIXTURE);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(damaged, bytes);

    const refusals = [
      [await restore(damaged, target, FIXTURE_PASSPHRASE), /is damaged/],
      [await restore(FIXTURE, target, 'not the passphrase at all'), /does not open its keys/],
      [await restore(FIXTURE, target), /set BACKUP_PASSPHRASE to open them/],
      [
        await restore(join(scratch(), 'nowhere.tar.gz'), target, FIXTURE_PASSPHRASE),
        /no such backup/,
      ],
    ] as const;
    for (const [result, says] of refusals) {
      expect(result.code).toBe(2);
      expect(result.output.trim().split('\n')).toEqual([expect.stringMatching(says)]);
    }
    expect(existsSync(target)).toBe(false);

    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'keep me');
    const busy = await restore(FIXTURE, target, FIXTURE_PASSPHRASE);
    expect(busy.code).toBe(2);
    expect(busy.output).toMatch(/is not an empty folder/);
    expect(readdirSync(target)).toEqual(['notes.txt']);
  });

  it('refuses a backup made by a newer version of the store', async () => {
    const dir = join(scratch(), 'newer');
    expect((await restore(FIXTURE, dir, FIXTURE_PASSPHRASE)).code).toBe(0);
    const orders = new Database(join(dir, 'orders.sqlite'));
    orders
      .prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)')
      .run(9_999_999_999_999, 'OrdersFromTheFuture9999999999999');
    orders.close();
    const archive = join(scratch(), 'newer.tar.gz');
    await writeBackupArchive(archive, {
      snapshots: Object.fromEntries(
        ['search', 'orders', 'products', 'users', 'logging'].map((m) => [
          m,
          join(dir, `${m}.sqlite`),
        ]),
      ),
      app: '9.0.0',
    });
    const target = join(scratch(), 'from-newer');
    const refused = await restore(archive, target);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(
      /comes from a newer version of the store \(9\.0\.0\): orders has run OrdersFromTheFuture9999999999999/,
    );
    expect(existsSync(target)).toBe(false);
  });

  it('restores a backup of the previous schema, which the store migrates forward and serves', async () => {
    const dataDir = join(scratch(), 'forward');
    const restored = await restore(FIXTURE, dataDir, FIXTURE_PASSPHRASE);
    expect(restored).toMatchObject({ code: 0 });
    const before = new Database(join(dataDir, 'products.sqlite'), { readonly: true });
    const migrationsBefore = before.prepare('SELECT name FROM migrations').all();
    before.close();
    expect(migrationsBefore).not.toContainEqual({ name: 'ProductsReservationTimes1767000000002' });

    store = await Store.start('single', { sqliteOnly: true, dataDir });
    expect(
      await moduleSql(store, 'products', 'SELECT name FROM migrations ORDER BY id DESC LIMIT 1'),
    ).toEqual([{ name: 'ProductsReservationTimes1767000000002' }]);
    // The demo store of that version: its orders and stock still agree, its index is rebuilt.
    const orders = await storedOrders(store);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.filter((o) => o.status === 'PENDING')).toEqual([]);
    const search = await store.request<{ items: unknown[] }>('search', 'GET', '/api/search?q=milk');
    expect(search.body.items.length).toBeGreaterThan(0);
    // The sealed keys came back: the demo customer's sealed e-mail opens, and they sign in.
    const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
    const me = await store.request<{ email: string }>('users', 'GET', '/api/users/me', {
      token: customer.accessToken,
    });
    expect(me.body.email).toMatch(/@/);
  });
});
