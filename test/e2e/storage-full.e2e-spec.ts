import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, login } from '../support/accounts';
import type { AuditEventPage, Product, ProductPage } from '../support/api-types';
import { eventually } from '../support/platform';
import { MODULES, Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';
import { fillDisk, freeDisk, mountTmpfs, unmount } from '../support/tmpfs';

jest.setTimeout(180_000);

/**
 * A real full disk under a running store: every 2xx must be on disk (a fresh process reads it),
 * every refused write must leave no trace (no product, no audit event), the store must answer
 * 503 STORAGE_UNAVAILABLE while the disk is full, and write again once space returns, without
 * a restart.
 */
describe.each(BEHAVIOUR_TOPOLOGIES)('a full disk under the store (%s)', (topology) => {
  const mount = mkdtempSync(join(tmpdir(), 'mfm-tmpfs-'));
  let store: Store;
  let employee: string;

  beforeAll(async () => {
    mountTmpfs(mount, '64m');
    store = await Store.start(topology, { dataParent: mount, sqliteOnly: true });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
    unmount(mount);
    rmSync(mount, { recursive: true, force: true });
  });

  const create = (name: string) =>
    store.request<Product & { code?: string }>('products', 'POST', '/api/products', {
      token: employee,
      body: { name, category: 'pantry', priceCents: 199, stock: 3, description: 'x'.repeat(1500) },
    });

  const allProducts = async (): Promise<Product[]> => {
    const products: Product[] = [];
    for (let page = 1; ; page++) {
      const res = await store.request<ProductPage>(
        'products',
        'GET',
        `/api/products?limit=100&page=${page}`,
      );
      expect(res.status).toBe(200);
      products.push(...res.body.items);
      if (products.length >= res.body.total || res.body.items.length === 0) return products;
    }
  };

  const createdEvents = async (): Promise<string[]> => {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const res = await store.request<AuditEventPage>(
        'logging',
        'GET',
        `/api/logs?type=product_created&limit=100&page=${page}`,
        { token: employee },
      );
      if (res.status !== 200) return [];
      ids.push(...res.body.items.map((event) => event.subject.id));
      if (ids.length >= res.body.total || res.body.items.length === 0) return ids;
    }
  };

  it('answers 503 while full, loses no acknowledged write, keeps no refused one, and recovers without a restart', async () => {
    const acknowledged: Product[] = [];
    const refused: string[] = [];
    const attempt = async (name: string) => {
      const res = await create(name);
      if (res.status === 201) {
        acknowledged.push(res.body);
        return;
      }
      expect({ status: res.status, code: res.body?.code }).toEqual({
        status: 503,
        code: 'STORAGE_UNAVAILABLE',
      });
      expect(res.headers.get('retry-after')).toBe('5');
      refused.push(name);
    };

    for (let i = 0; i < 5; i++) await attempt(`Before the fault ${i}`);
    expect(refused).toEqual([]);

    const ballast = fillDisk(mount, 32 * 1024);
    for (let i = 0; refused.length < 5 && i < 2000; i++) await attempt(`During the fault ${i}`);
    expect(refused).toHaveLength(5);

    // Reads go on while writes are refused.
    const read = await store.request<Product>(
      'products',
      'GET',
      `/api/products/${acknowledged[0].id}`,
    );
    expect(read.status).toBe(200);
    // /ready names the storage that refuses writes. Its probe is a real write, which SQLite may
    // still fit into a write-ahead log it has just checkpointed and reset: then the storage did
    // take a write, and the next writes use that room up until it refuses again.
    let ready = await store.request('products', 'GET', '/ready');
    for (let i = 0; ready.status !== 503 && i < 50; i++) {
      await attempt(`While the probe found room ${i}`);
      ready = await store.request('products', 'GET', '/ready');
    }
    expect(ready.status).toBe(503);
    expect(ready.body.details['products-storage']).toMatchObject({
      status: 'down',
      writable: false,
    });

    freeDisk(ballast);
    // Writes succeed again at once: no restart, no waiting for a probe.
    for (let i = 0; i < 5; i++) {
      const res = await create(`After the fault ${i}`);
      expect(res.status).toBe(201);
      acknowledged.push(res.body);
    }
    await eventually(
      async () => (await store.request('products', 'GET', '/ready')).status === 200,
      'products ready again',
      15_000,
    );

    // A fresh process of every module reads exactly what was acknowledged.
    for (const label of new Set(MODULES.map((module) => store.processOf(module)))) {
      await store.restart(label);
    }
    const names = new Set((await allProducts()).map((product) => product.name));
    for (const product of acknowledged) expect(names).toContain(product.name);
    for (const name of refused) expect(names).not.toContain(name);

    // Audit events follow the same rule: one per acknowledged product, none for a refused one.
    const ids = acknowledged.map((product) => product.id).sort();
    const events = await eventually(
      async () => {
        const seen = (await createdEvents()).filter((id) => ids.includes(id)).sort();
        return seen.length >= ids.length ? seen : undefined;
      },
      'an audit event for every acknowledged product',
      30_000,
    );
    expect(events).toEqual(ids);
  });
});
