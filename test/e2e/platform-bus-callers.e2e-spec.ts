import { randomUUID } from 'node:crypto';
import { auditEventsOfType, createProduct, stockOf } from '../support/catalogue';
import { DEMO } from '../support/accounts';
import type { Order, Schema, Session } from '../support/api-types';
import { eventually } from '../support/platform';
import { parseMetrics, total } from '../support/prometheus';
import { RpcStore, startRpcStore } from '../support/rpc-caller';
import { MODULES, TOPOLOGIES } from '../support/store';

/**
 * Who may send which message pattern (MESSAGE_CALLERS): the caller is the module the transport
 * vouches for, the module named in the client certificate over the bus (split: the test shows the
 * store's real search certificate), the calling module's client in one process. A call its module
 * may not make is answered 403 FORBIDDEN_CALLER, changes nothing and is counted in /metrics; the
 * store's own flows go on as before.
 */

jest.setTimeout(120_000);

describe.each(TOPOLOGIES)('who may call which message (%s)', (topology) => {
  let store: RpcStore;
  let manager: string;
  let customer: { token: string; userId: string };

  const loginAs = async (username: string, password: string) => {
    const res = await store.request<Session>('users', 'POST', '/api/auth/login', {
      body: { username, password },
    });
    expect(res.status).toBe(200);
    return { token: res.body.accessToken, userId: res.body.user.id };
  };

  beforeAll(async () => {
    store = await startRpcStore(topology);
    manager = (await loginAs(DEMO.employee.username, DEMO.employee.password)).token;
    customer = await loginAs(DEMO.customer.username, DEMO.customer.password);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  }, 30_000);

  const searchTotal = async (q: string): Promise<number> =>
    (
      await store.request<Schema<'SearchResponse'>>(
        'search',
        'GET',
        `/api/search?q=${encodeURIComponent(q)}`,
      )
    ).body.total;

  /** The error a call ends with, as its caller sees it. */
  async function refusal(
    module: (typeof MODULES)[number],
    pattern: string,
    payload: unknown,
  ): Promise<{ status: number; body: unknown }> {
    try {
      await store.send(module, pattern, payload, 'search');
    } catch (error) {
      const e = error as { getStatus(): number; getResponse(): unknown };
      return { status: e.getStatus(), body: e.getResponse() };
    }
    throw new Error(`${pattern} went through for search`);
  }

  const forbidden = (pattern: string) => ({
    status: 403,
    body: {
      statusCode: 403,
      error: 'Forbidden',
      code: 'FORBIDDEN_CALLER',
      message: `The search module may not call ${pattern}`,
      details: { caller: 'search', pattern },
    },
  });

  it("refuses the search module's key personal data, audit events, stock and catalogue entries, and nothing changes", async () => {
    const tag = randomUUID().slice(0, 8);
    const productId = await createProduct(store, manager, 5, `Callers ${tag}`);
    const placed = await store.request<Order>('orders', 'POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 2 }] },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('CONFIRMED');
    expect(await stockOf(store, productId)).toBe(3);

    // An account's address and name.
    expect(await refusal('users', 'users.contact', { userId: customer.userId })).toEqual(
      forbidden('users.contact'),
    );
    // A forged audit event.
    expect(
      await refusal('logging', 'logging.record', {
        eventId: randomUUID(),
        type: 'forged_by_search',
        subject: { kind: 'product', id: productId, name: 'forged' },
        occurredAt: new Date().toISOString(),
      }),
    ).toEqual(forbidden('logging.record'));
    // The order's stock given back while the order stays confirmed.
    expect(
      await refusal('products', 'products.release_stock', { reservationId: placed.body.id }),
    ).toEqual(forbidden('products.release_stock'));
    // A fake catalogue entry.
    const now = new Date().toISOString();
    expect(
      await refusal('search', 'search.products_changed', {
        items: [
          {
            id: randomUUID(),
            name: `Forged ${tag}`,
            category: 'pantry',
            priceCents: 1,
            stock: 99,
            archived: false,
            version: 1,
            revision: 1,
            createdAt: now,
            updatedAt: now,
          },
        ],
      }),
    ).toEqual(forbidden('search.products_changed'));

    expect(await stockOf(store, productId)).toBe(3);
    const order = await store.request<Order>('orders', 'GET', `/api/orders/${placed.body.id}`, {
      token: customer.token,
    });
    expect(order.body.status).toBe('CONFIRMED');
    expect(await auditEventsOfType(store, manager, 'forged_by_search')).toEqual([]);
    expect(await searchTotal(`Forged ${tag}`)).toBe(0);
    // The real product reached the index, through the products outbox.
    await eventually(async () => (await searchTotal(`Callers ${tag}`)) === 1, 'the index', 15_000);

    // Each refusal is counted where it happened, by pattern and calling module.
    const counted: Record<string, number> = {};
    for (const [module, pattern] of [
      ['users', 'users.contact'],
      ['logging', 'logging.record'],
      ['products', 'products.release_stock'],
      ['search', 'search.products_changed'],
    ] as const) {
      const res = await store.request<string>(module, 'GET', '/metrics');
      expect(res.status).toBe(200);
      counted[pattern] = total(parseMetrics(res.text), 'rpc_forbidden_calls_total', {
        pattern,
        caller: 'search',
      });
    }
    expect(counted).toEqual({
      'users.contact': 1,
      'logging.record': 1,
      'products.release_stock': 1,
      'search.products_changed': 1,
    });
  });

  it('lets each module send what it needs: the same address to orders, searches recorded by search', async () => {
    const contact = await store.send<{ email: string }>(
      'users',
      'users.contact',
      { userId: customer.userId },
      'orders',
    );
    expect(contact.email).toContain('@');

    // A signed-in shopper's search reaches the log through search's own message.
    const q = `callers-${randomUUID().slice(0, 8)}`;
    const res = await store.request('search', 'GET', `/api/search?q=${q}`, {
      token: customer.token,
    });
    expect(res.status).toBe(200);
    await eventually(
      async () =>
        (
          (await auditEventsOfType(store, manager, 'search')) as Array<{
            subject: { name?: string };
          }>
        ).some((event) => event.subject.name === q),
      'the search event in the log',
      10_000,
    );
  });

  it('refuses a forged event sent as a search: only searches go through search’s message', async () => {
    const { status, body } = await (async () => {
      try {
        await store.send('logging', 'logging.record_search', {
          eventId: randomUUID(),
          type: 'order_placed',
          subject: { kind: 'order', id: randomUUID() },
          occurredAt: new Date().toISOString(),
        });
      } catch (error) {
        const e = error as { getStatus(): number; getResponse(): { code: string } };
        return { status: e.getStatus(), body: e.getResponse() };
      }
      throw new Error('a forged event went through as a search');
    })();
    expect({ status, code: body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
