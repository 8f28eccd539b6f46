import { randomUUID } from 'node:crypto';
import { DEMO, login, newCustomer } from '../support/accounts';
import type { ErrorBody, Order, OrderPage, Product } from '../support/api-types';
import { eventually } from '../support/platform';
import { POSTGRES_BASE } from '../support/postgres';
import { Store, TOPOLOGIES } from '../support/store';
import { auditEvents } from '../support/audit-log';

describe.each(TOPOLOGIES)('orders (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: { accessToken: string; user: { id: string } };

  beforeAll(async () => {
    store = await Store.start(topology, { env: { TAX_RATES: 'dairy=5.5,beverages=20' } });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = await newCustomer(store);
  });

  afterAll(async () => {
    await store?.close();
  });

  const newProduct = async (priceCents: number, stock: number, category = 'pantry') => {
    const res = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Order item ${randomUUID()}`, category, priceCents, stock },
    });
    expect(res.status).toBe(201);
    return res.body as Product;
  };
  const stockOf = async (id: string) =>
    (await store.request<Product>('products', 'GET', `/api/products/${id}`)).body.stock;
  const place = (items: unknown, token = customer.accessToken, key?: string) =>
    store.request('orders', 'POST', '/api/orders', {
      token,
      body: { items },
      headers: key ? { 'idempotency-key': key } : {},
    });
  const getOrder = <T = Order>(id: string, token = customer.accessToken) =>
    store.request<T>('orders', 'GET', `/api/orders/${id}`, { token });

  it('prices from products, merges repeated products, applies per-category tax rounded half-up per line', async () => {
    const milk = await newProduct(129, 20, 'dairy');
    const cola = await newProduct(399, 20, 'beverages');
    const rice = await newProduct(299, 20, 'pantry');
    const res = await place([
      { productId: milk.id, quantity: 2 },
      { productId: cola.id, quantity: 1 },
      { productId: milk.id, quantity: 1 },
      { productId: rice.id, quantity: 2 },
    ]);
    expect(res.status).toBe(201);
    const order = res.body as Order;
    expect(order.status).toBe('CONFIRMED');
    expect(
      order.lines.map((l) => [
        l.name,
        l.quantity,
        l.unitPriceCents,
        l.taxRateBps,
        l.subtotalCents,
        l.taxCents,
        l.totalCents,
      ]),
    ).toEqual([
      [milk.name, 3, 129, 550, 387, 21, 408], // 387 × 5.5 % = 21.285 → 21
      [cola.name, 1, 399, 2000, 399, 80, 479], // 79.8 → 80
      [rice.name, 2, 299, 0, 598, 0, 598],
    ]);
    expect([order.subtotalCents, order.taxCents, order.totalCents]).toEqual([1384, 101, 1485]);
    expect([await stockOf(milk.id), await stockOf(cola.id), await stockOf(rice.id)]).toEqual([
      17, 19, 18,
    ]);
  });

  it('rejects prices, totals and unknown fields from the client, and out-of-range lines, with 400', async () => {
    const item = await newProduct(100, 5);
    const withPrice = await place([{ productId: item.id, quantity: 1, unitPriceCents: 1 }]);
    expect(withPrice.status).toBe(400);
    expect(JSON.stringify(withPrice.body)).toContain('unitPriceCents');
    const withTotal = await store.request('orders', 'POST', '/api/orders', {
      token: customer.accessToken,
      body: { items: [{ productId: item.id, quantity: 1 }], totalCents: 1 },
    });
    expect(withTotal.status).toBe(400);
    expect(JSON.stringify(withTotal.body)).toContain('totalCents');
    for (const quantity of [0, 1000, 1.5])
      expect((await place([{ productId: item.id, quantity }])).status).toBe(400);
    expect((await place([])).status).toBe(400);
    expect(
      (await place(Array.from({ length: 101 }, () => ({ productId: item.id, quantity: 1 }))))
        .status,
    ).toBe(400);
    expect((await place([{ productId: 'milk', quantity: 1 }])).status).toBe(400);
    expect(await stockOf(item.id)).toBe(5);
  });

  it('needs a signed-in caller', async () => {
    const item = await newProduct(100, 5);
    const res = await store.request('orders', 'POST', '/api/orders', {
      body: { items: [{ productId: item.id, quantity: 1 }] },
    });
    expect(res.status).toBe(401);
  });

  it('unknown or archived product → 422 naming it; the order is FAILED with the reason and holds no stock', async () => {
    const kept = await newProduct(100, 5);
    const archived = await newProduct(100, 5);
    await store.request('products', 'DELETE', `/api/products/${archived.id}`, { token: employee });
    const missing = randomUUID();
    const res = await place([
      { productId: kept.id, quantity: 1 },
      { productId: archived.id, quantity: 1 },
      { productId: missing, quantity: 1 },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('UNKNOWN_PRODUCT');
    expect(res.body.message).toContain(archived.name);
    expect(res.body.details.productIds.sort()).toEqual([archived.id, missing].sort());
    const order = await getOrder(res.body.details.orderId);
    expect(order.body).toMatchObject({ status: 'FAILED', failure: { code: 'UNKNOWN_PRODUCT' } });
    expect(await stockOf(kept.id)).toBe(5);
  });

  it('short stock → 409 naming the short lines; FAILED, nothing held', async () => {
    const plenty = await newProduct(100, 50);
    const scarce = await newProduct(100, 2);
    const res = await place([
      { productId: plenty.id, quantity: 3 },
      { productId: scarce.id, quantity: 5 },
    ]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INSUFFICIENT_STOCK');
    expect(res.body.details.items).toEqual([
      { productId: scarce.id, name: scarce.name, requested: 5, available: 2 },
    ]);
    expect((await getOrder(res.body.details.orderId)).body).toMatchObject({
      status: 'FAILED',
      failure: { code: 'INSUFFICIENT_STOCK' },
    });
    expect([await stockOf(plenty.id), await stockOf(scarce.id)]).toEqual([50, 2]);
  });

  it('200 concurrent orders for 10 units → exactly 10 CONFIRMED, stock 0, the rest FAILED with INSUFFICIENT_STOCK', async () => {
    const hot = await newProduct(250, 10);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => place([{ productId: hot.id, quantity: 1 }])),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_STOCK'),
    ).toBe(true);
    expect(await stockOf(hot.id)).toBe(0);
    const failed = await store.request<OrderPage>(
      'orders',
      'GET',
      `/api/orders?status=FAILED&userId=${customer.user.id}&limit=1`,
      { token: employee },
    );
    expect(failed.body.total).toBeGreaterThanOrEqual(190);
    const pending = await store.request<OrderPage>(
      'orders',
      'GET',
      '/api/orders?status=PENDING&limit=1',
      { token: employee },
    );
    expect(pending.body.total).toBe(0);
  });

  it('Idempotency-Key: a repeat returns the first response and creates nothing; another body → 422', async () => {
    const item = await newProduct(100, 10);
    const key = `key-${randomUUID()}`;
    const first = await place([{ productId: item.id, quantity: 2 }], customer.accessToken, key);
    const again = await place([{ productId: item.id, quantity: 2 }], customer.accessToken, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await stockOf(item.id)).toBe(8);
    const different = await place([{ productId: item.id, quantity: 3 }], customer.accessToken, key);
    expect(different.status).toBe(422);
    expect(different.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The same key belongs to each user separately.
    const other = await newCustomer(store);
    expect(
      (await place([{ productId: item.id, quantity: 1 }], other.accessToken, key)).status,
    ).toBe(201);
    // A failure is replayed too, with its status.
    const failKey = `key-${randomUUID()}`;
    const short = await place(
      [{ productId: item.id, quantity: 500 }],
      customer.accessToken,
      failKey,
    );
    const shortAgain = await place(
      [{ productId: item.id, quantity: 500 }],
      customer.accessToken,
      failKey,
    );
    expect([short.status, shortAgain.status]).toEqual([409, 409]);
    expect(shortAgain.body).toEqual(short.body);
  });

  it('50 concurrent retries with one key → one order', async () => {
    const item = await newProduct(100, 100);
    const key = `burst-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        place([{ productId: item.id, quantity: 1 }], customer.accessToken, key),
      ),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await stockOf(item.id)).toBe(99);
  });

  it('history: own orders newest first and paged; employees see all and filter by user and status', async () => {
    const shopper = await newCustomer(store);
    const item = await newProduct(100, 10);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await place([{ productId: item.id, quantity: 1 }], shopper.accessToken)).body.id);
    const own = await store.request<OrderPage>('orders', 'GET', '/api/orders?limit=2', {
      token: shopper.accessToken,
    });
    expect(own.body.total).toBe(3);
    expect(own.body.items.map((o) => o.id)).toEqual([ids[2], ids[1]]);
    const page2 = await store.request<OrderPage>('orders', 'GET', '/api/orders?limit=2&page=2', {
      token: shopper.accessToken,
    });
    expect(page2.body.items.map((o) => o.id)).toEqual([ids[0]]);
    const ignored = await store.request<OrderPage>(
      'orders',
      'GET',
      `/api/orders?userId=${customer.user.id}`,
      { token: shopper.accessToken },
    );
    expect(ignored.body.total).toBe(3);
    const byEmployee = await store.request<OrderPage>(
      'orders',
      'GET',
      `/api/orders?userId=${shopper.user.id}&status=CONFIRMED`,
      { token: employee },
    );
    expect(byEmployee.body.total).toBe(3);
    expect(
      byEmployee.body.items.every((o) => o.userId === shopper.user.id && o.status === 'CONFIRMED'),
    ).toBe(true);
    expect((await store.request('orders', 'GET', '/api/orders')).status).toBe(401);
  });

  it("someone else's order is a 404, not a 403; an employee can read it", async () => {
    const item = await newProduct(100, 10);
    const mine = (await place([{ productId: item.id, quantity: 1 }])).body as Order;
    const stranger = await newCustomer(store);
    const peek = await getOrder<ErrorBody>(mine.id, stranger.accessToken);
    expect(peek.status).toBe(404);
    const missing = await getOrder<ErrorBody>(randomUUID(), stranger.accessToken);
    // Same status and code as an order that does not exist: nothing tells the two apart.
    expect([peek.status, peek.body.code]).toEqual([missing.status, missing.body.code]);
    expect(peek.body.code).toBe('ORDER_NOT_FOUND');
    expect((await getOrder(mine.id, employee)).body.id).toBe(mine.id);
  });

  /**
   * A cancellation queues the release of its stock in the outbox (so it survives products being
   * down): the stock comes back shortly after the answer, not necessarily before it.
   */
  const stockComesBackTo = (productId: string, expected: number) =>
    eventually(
      async () => (await stockOf(productId)) === expected,
      `the stock of ${productId} back to ${expected}`,
      15_000,
    );

  it('cancel: the owner while CONFIRMED gets the stock back and an order_cancelled event; twice is harmless', async () => {
    const item = await newProduct(100, 10);
    const order = (await place([{ productId: item.id, quantity: 4 }])).body as Order;
    expect(await stockOf(item.id)).toBe(6);
    const stranger = await newCustomer(store);
    expect(
      (
        await store.request('orders', 'POST', `/api/orders/${order.id}/cancel`, {
          token: stranger.accessToken,
        })
      ).status,
    ).toBe(404);
    const cancelled = await store.request<Order>(
      'orders',
      'POST',
      `/api/orders/${order.id}/cancel`,
      { token: customer.accessToken },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    await stockComesBackTo(item.id, 10);
    const twice = await store.request<Order>('orders', 'POST', `/api/orders/${order.id}/cancel`, {
      token: customer.accessToken,
    });
    expect(twice.status).toBe(200);
    expect(twice.body.status).toBe('CANCELLED');
    expect(await stockOf(item.id)).toBe(10);
    const cancellations = await auditEvents(store, employee, 'type=order_cancelled&limit=100');
    expect(cancellations.items.filter((e) => e.subject.id === order.id)).toHaveLength(1);
    const placed = await auditEvents(store, employee, 'type=order_placed&limit=100');
    expect(placed.items.find((e) => e.subject.id === order.id)?.payload.totalCents).toBe(400);
  });

  it('an employee can cancel a customer order; a FAILED order cannot be cancelled', async () => {
    const item = await newProduct(100, 3);
    const order = (await place([{ productId: item.id, quantity: 3 }])).body as Order;
    expect(
      (
        await store.request<Order>('orders', 'POST', `/api/orders/${order.id}/cancel`, {
          token: employee,
        })
      ).body.status,
    ).toBe('CANCELLED');
    await stockComesBackTo(item.id, 3);
    const failed = await place([{ productId: item.id, quantity: 99 }]);
    const res = await store.request(
      'orders',
      'POST',
      `/api/orders/${failed.body.details.orderId}/cancel`,
      { token: customer.accessToken },
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ORDER_NOT_CANCELLABLE');
  });

  it('kill -9 between reservation and confirmation: the order is finished when orders starts again, and a retry with the same Idempotency-Key gets it', async () => {
    const shopper = await newCustomer(store);
    const item = await newProduct(100, 5);
    const key = `crash-${randomUUID()}`;
    const items = [{ productId: item.id, quantity: 2 }];
    const orders = store.processOf('orders');
    await store.restart(orders, { ORDERS_CRASH_POINT: 'after_reserve' });
    const res = await place(items, shopper.accessToken, key).catch(() => undefined);
    expect(res).toBeUndefined(); // the process died mid-request
    // In one process products died with it; split, it shows the stock reserved, not yet confirmed.
    if (topology === 'split') expect(await stockOf(item.id)).toBe(3);
    await store.restart(orders, { ORDERS_CRASH_POINT: '' });

    // On SQLite the restarted process is the only one, and finishes every PENDING order at start.
    // On PostgreSQL other replicas may be placing orders, so it finishes those untouched for 30 s.
    const history = await eventually(
      async () => {
        const page = await store.request<OrderPage>('orders', 'GET', '/api/orders', {
          token: shopper.accessToken,
        });
        return page.body.items.every((o) => o.status !== 'PENDING') && page;
      },
      'the order left PENDING to be finished',
      POSTGRES_BASE ? 60_000 : 0,
    );
    expect(history.body.items.map((o) => [o.status, o.totalCents])).toEqual([['CONFIRMED', 200]]);
    const confirmed = await getOrder(history.body.items[0].id, shopper.accessToken);
    // The retry gets what the first request would have answered: the confirmed order, not a
    // 409 "still in progress" for a request that died with the process.
    const retry = await place(items, shopper.accessToken, key);
    expect([retry.status, retry.body.code]).toEqual([201, undefined]);
    expect(retry.body).toEqual(confirmed.body);
    expect(await stockOf(item.id)).toBe(3);
    expect(
      (await store.request('orders', 'GET', '/api/orders', { token: shopper.accessToken })).body
        .total,
    ).toBe(1);
  }, 120_000);
});

describe('orders when a process fails (split)', () => {
  let store: Store;
  let employee: string;
  let customer: { accessToken: string };

  beforeAll(async () => {
    store = await Store.start('split', { env: { RPC_TIMEOUT_MS: '1000' } });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = await newCustomer(store);
  });

  afterAll(async () => {
    await store?.close();
  });

  const newProduct = async (stock: number) =>
    (
      await store.request('products', 'POST', '/api/products', {
        token: employee,
        body: { name: `Fragile ${randomUUID()}`, category: 'pantry', priceCents: 100, stock },
      })
    ).body as Product;
  const stockOf = async (id: string) =>
    (await store.request<Product>('products', 'GET', `/api/products/${id}`)).body.stock;

  it('products down → 503 quickly, nothing reserved, no order left PENDING', async () => {
    const item = await newProduct(5);
    await store.stop('products');
    const res = await store.request('orders', 'POST', '/api/orders', {
      token: customer.accessToken,
      body: { items: [{ productId: item.id, quantity: 1 }] },
    });
    expect(res.status).toBe(503);
    expect(res.body.code).toMatch(/^PEER_/);
    const pending = await store.request<OrderPage>('orders', 'GET', '/api/orders?status=PENDING', {
      token: employee,
    });
    expect(pending.body.total).toBe(0);
    await store.restart('products');
    expect(await stockOf(item.id)).toBe(5);
  });
});
