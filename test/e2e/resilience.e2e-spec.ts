import { randomUUID } from 'node:crypto';
import { DEMO, login, newCustomer } from '../support/accounts';
import { eventually } from '../support/platform';
import { parseMetrics, total } from '../support/prometheus';
import { HttpResult, Store, TOPOLOGIES } from '../support/store';

/** Pages through a list endpoint (limit 100) and returns every item. */
async function everything<T>(
  store: Store,
  module: 'orders' | 'logging',
  path: string,
  token: string,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await store.request(module, 'GET', `${path}${sep}limit=100&page=${page}`, {
      token,
    });
    expect(res.status).toBe(200);
    items.push(...(res.body.items as T[]));
    if (res.body.items.length < 100) return items;
  }
}

describe.each(TOPOLOGIES)('graceful shutdown under load (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: string;
  let productId: string;
  const STOCK = 1000;

  beforeAll(async () => {
    store = await Store.start(topology, {
      env: { RATE_LIMIT_ORDERS: '100000/60', LOG_LEVEL: 'warn' },
    });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await newCustomer(store)).accessToken;
    const product = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Drain ${randomUUID()}`, category: 'pantry', priceCents: 120, stock: STOCK },
    });
    expect(product.status).toBe(201);
    productId = product.body.id;
  });

  afterAll(async () => {
    await store?.close();
  });

  const place = (key: string) =>
    store.request('orders', 'POST', '/api/orders', {
      token: customer,
      body: { items: [{ productId, quantity: 1 }] },
      headers: { 'idempotency-key': key },
    });

  it('SIGTERM during an order loop: exits 0, answers only 201 or 503 SHUTTING_DOWN, loses no order', async () => {
    const label = store.processOf('orders');
    const answers = new Map<string, HttpResult | Error>();
    // Errors of fetch come from Node's realm, not Jest's: tell answers apart by their status.
    const answered = (a: HttpResult | Error): a is HttpResult =>
      typeof (a as HttpResult).status === 'number';
    let exited: ReturnType<Store['stop']> | undefined;
    let gone = false;
    const CLIENTS = 4;
    const MAX_REQUESTS = 200;
    // Four shoppers ordering in a loop; after 30 answers the orders process gets SIGTERM. Each
    // goes on until it can no longer connect once the process has exited.
    const shopper = async () => {
      while (answers.size < MAX_REQUESTS) {
        const key = randomUUID();
        try {
          answers.set(key, await place(key));
        } catch (error) {
          // No connection (the port is closed while it drains): the shopper will retry this key.
          answers.set(key, error as Error);
          if (gone) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        if (answers.size >= 30 && !exited) {
          exited = store.stop(label, 'SIGTERM', 60_000);
          void exited.then(() => (gone = true));
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, shopper));
    const outcome = await (exited as NonNullable<typeof exited>);
    expect(outcome).toEqual({ code: 0, signal: null });

    const results = [...answers.values()].filter(answered);
    const statuses = results.map((r) =>
      r.status === 503 ? `503 ${r.body.code}` : String(r.status),
    );
    expect(statuses).toContain('201');
    for (const status of new Set(statuses)) expect(['201', '503 SHUTTING_DOWN']).toContain(status);
    const confirmedBefore = new Map(
      [...answers].flatMap(([key, a]) =>
        answered(a) && a.status === 201 ? [[key, a.body.id as string]] : [],
      ),
    );

    // Back up: every shopper retries what had no 201 with the same key; nothing was lost or doubled.
    await store.restart(label);
    const finalIds = new Map<string, string>();
    for (const key of answers.keys()) {
      const res = await place(key);
      expect({ key, status: res.status }).toEqual({ key, status: 201 });
      finalIds.set(key, res.body.id);
      if (confirmedBefore.has(key)) expect(res.body.id).toBe(confirmedBefore.get(key));
    }
    const orders = await everything<{ id: string; status: string }>(
      store,
      'orders',
      '/api/orders',
      customer,
    );
    const confirmed = orders
      .filter((o) => o.status === 'CONFIRMED')
      .map((o) => o.id)
      .sort();
    expect(confirmed).toEqual([...new Set(finalIds.values())].sort());
    expect(confirmed).toHaveLength(answers.size);
    const stock = (await store.request('products', 'GET', `/api/products/${productId}`)).body.stock;
    expect(stock).toBe(STOCK - answers.size);
    // Every confirmed order has exactly one order_placed event.
    const events = await eventually(
      async () => {
        const all = await everything<{ type: string; subject: { id: string } }>(
          store,
          'logging',
          '/api/logs?type=order_placed',
          employee,
        );
        return all.length >= confirmed.length && all;
      },
      'the order_placed events',
      20_000,
    );
    const perOrder = new Map<string, number>();
    for (const e of events) perOrder.set(e.subject.id, (perOrder.get(e.subject.id) ?? 0) + 1);
    expect([...perOrder.keys()].sort()).toEqual(confirmed);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
  });
});

// One process has no peer to lose: the circuit of a call between processes is a split matter.
describe('circuit breaker per peer and pattern (split)', () => {
  let store: Store;
  let customer: string;
  let productId: string;

  beforeAll(async () => {
    store = await Store.start('split', {
      env: { CIRCUIT_BREAKER_THRESHOLD: '3', CIRCUIT_BREAKER_HALF_OPEN_MS: '1500' },
    });
    const employee = (await login(store, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
    customer = (await newCustomer(store)).accessToken;
    const product = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Breaker ${randomUUID()}`, category: 'pantry', priceCents: 100, stock: 50 },
    });
    productId = product.body.id;
  });

  afterAll(async () => {
    await store?.close();
  });

  const order = () =>
    store.request('orders', 'POST', '/api/orders', {
      token: customer,
      body: { items: [{ productId, quantity: 1 }] },
    });
  const circuitOfGetMany = async () =>
    total(
      parseMetrics((await store.request('orders', 'GET', '/metrics')).text),
      'rpc_circuit_state',
      { peer: 'products', pattern: 'products.get_many' },
    );

  it('opens after consecutive failures to reach products, fails fast with 503 while open, shows in /metrics, /ready and /api/status, and closes once a probe succeeds', async () => {
    expect((await order()).status).toBe(201);
    expect(await circuitOfGetMany()).toBe(0);

    await store.stop('products');
    // The first order's call and its two retries are three consecutive failures: the circuit opens.
    const first = await order();
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ code: 'PEER_UNAVAILABLE', details: { peer: 'products' } });
    expect(first.body.details.circuit).toBeUndefined();
    const fast = await order();
    expect(fast.status).toBe(503);
    expect(fast.body).toMatchObject({
      code: 'PEER_UNAVAILABLE',
      details: { peer: 'products', circuit: 'open' },
    });

    const metrics = parseMetrics((await store.request('orders', 'GET', '/metrics')).text);
    expect(
      total(metrics, 'rpc_circuit_state', { peer: 'products', pattern: 'products.get_many' }),
    ).toBe(2);
    expect(
      total(metrics, 'rpc_client_duration_seconds_count', {
        peer: 'products',
        pattern: 'products.get_many',
        outcome: 'circuit_open',
      }),
    ).toBe(1);
    const ready = await store.request('orders', 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.circuits.products).toMatchObject({ 'products.get_many': 'open' });
    const status = await store.request('users', 'GET', '/api/status');
    const orders = status.body.modules.find((m: { module: string }) => m.module === 'orders');
    expect(orders.circuits.products).toMatchObject({ 'products.get_many': 'open' });
    expect(
      status.body.modules.find((m: { module: string }) => m.module === 'products'),
    ).toMatchObject({
      status: 'down',
    });
    expect(status.body.status).toBe('degraded');

    // Products back: after the half-open delay one call probes it, and its success closes the circuit.
    await store.restart('products');
    const placed = await eventually(
      async () => {
        const res = await order();
        return res.status === 201 && res;
      },
      'an order once products is back',
      15_000,
    );
    expect(placed.body.status).toBe('CONFIRMED');
    expect(await circuitOfGetMany()).toBe(0);
  });
});
