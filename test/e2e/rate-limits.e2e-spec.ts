import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import { HttpResult, Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * Request limits of the public edge, with small limits and a long window (so no window rolls
 * over during a test): sign-up, refresh and search per client address, order placement per
 * account. Requests leave from different loopback addresses (127.0.0.x), so each test's
 * address starts with a full budget. Every answer of a limited route carries the RateLimit-*
 * headers; past the limit it is 429 TOO_MANY_REQUESTS with Retry-After, and nothing happens.
 */

const WINDOW = 900;
const LIMITS = { register: 3, refresh: 3, search: 5, orders: 3 };

describe.each(BEHAVIOUR_TOPOLOGIES)('rate limits (%s)', (topology) => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.start(topology, {
      env: {
        RATE_LIMIT_REGISTER: `${LIMITS.register}/${WINDOW}`,
        RATE_LIMIT_REFRESH: `${LIMITS.refresh}/${WINDOW}`,
        RATE_LIMIT_SEARCH: `${LIMITS.search}/${WINDOW}`,
        RATE_LIMIT_ORDERS: `${LIMITS.orders}/${WINDOW}`,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  const search = (from: string) => store.request('search', 'GET', '/api/search?q=milk', { from });

  const headersOf = (res: HttpResult) => ({
    limit: res.headers.get('ratelimit-limit'),
    remaining: res.headers.get('ratelimit-remaining'),
    reset: Number(res.headers.get('ratelimit-reset')),
  });

  function expectRefused(res: HttpResult, limit: keyof typeof LIMITS): void {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'TOO_MANY_REQUESTS',
      details: { limit },
    });
    const seconds = res.body.details.retryAfterSeconds;
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(WINDOW);
    expect(res.headers.get('retry-after')).toBe(String(seconds));
    expect(headersOf(res)).toEqual({
      limit: String(LIMITS[limit]),
      remaining: '0',
      reset: seconds,
    });
  }

  const register = (from: string) => {
    const username = `rl_${randomUUID().slice(0, 8)}`;
    return {
      username,
      result: store.request('users', 'POST', '/api/auth/register', {
        body: {
          firstName: 'Rita',
          lastName: 'Limit',
          username,
          email: `${username}@example.com`,
          password: 'Fresh-Basil-42',
        },
        from,
      }),
    };
  };

  it('search: counted per address, the RateLimit headers on every answer, then 429 with Retry-After', async () => {
    for (let i = 0; i < LIMITS.search; i++) {
      const res = await search('127.0.0.2');
      expect(res.status).toBe(200);
      const headers = headersOf(res);
      expect({ limit: headers.limit, remaining: headers.remaining }).toEqual({
        limit: String(LIMITS.search),
        remaining: String(LIMITS.search - 1 - i),
      });
      expect(headers.reset).toBeGreaterThanOrEqual(1);
      expect(headers.reset).toBeLessThanOrEqual(WINDOW);
    }
    expectRefused(await search('127.0.0.2'), 'search');
    // Another client is not affected.
    const other = await search('127.0.0.3');
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe(String(LIMITS.search - 1));
    // A route without a limit has no such headers.
    const catalogue = await store.request('products', 'GET', '/api/products?limit=1', {
      from: '127.0.0.2',
    });
    expect(catalogue.status).toBe(200);
    expect(catalogue.headers.get('ratelimit-limit')).toBeNull();
  });

  it('search: of 15 concurrent requests from one address exactly 5 are answered', async () => {
    const results = await Promise.all(Array.from({ length: 15 }, () => search('127.0.0.4')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(LIMITS.search);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(15 - LIMITS.search);
    for (const res of refused) expectRefused(res, 'search');
  });

  it('sign-up: counted per address; a refused sign-up creates no account', async () => {
    for (let i = 0; i < LIMITS.register; i++) {
      const res = await register('127.0.0.5').result;
      expect(res.status).toBe(201);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(LIMITS.register - 1 - i));
    }
    const refused = register('127.0.0.5');
    expectRefused(await refused.result, 'register');
    const attempt = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: refused.username, password: 'Fresh-Basil-42' },
      from: '127.0.0.5',
    });
    expect(attempt.status).toBe(401);
    expect((await register('127.0.0.6').result).status).toBe(201);
  });

  it('refresh: counted per address; a refused refresh does not spend the token', async () => {
    let token = (await login(store, DEMO.customer.username, DEMO.customer.password)).refreshToken;
    const refresh = (from: string) =>
      store.request('users', 'POST', '/api/auth/refresh', { body: { refreshToken: token }, from });
    for (let i = 0; i < LIMITS.refresh; i++) {
      const res = await refresh('127.0.0.7');
      expect(res.status).toBe(200);
      token = res.body.refreshToken;
    }
    expectRefused(await refresh('127.0.0.7'), 'refresh');
    // The token the refused request carried still works, once, from elsewhere.
    const elsewhere = await refresh('127.0.0.8');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.refreshToken).not.toBe(token);
  });

  it('orders: counted per account, whatever the address; a refused order holds no stock', async () => {
    const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
    const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
    const product = (await store.request('products', 'GET', '/api/products?limit=1')).body
      .items[0] as { id: string };
    const stock = async () =>
      (await store.request('products', 'GET', `/api/products/${product.id}`)).body.stock as number;
    const place = (token: string, from: string) =>
      store.request('orders', 'POST', '/api/orders', {
        token,
        body: { items: [{ productId: product.id, quantity: 1 }] },
        from,
      });

    for (let i = 0; i < LIMITS.orders; i++) {
      const res = await place(customer.accessToken, `127.0.0.${10 + i}`);
      expect(res.status).toBe(201);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(LIMITS.orders - 1 - i));
    }
    const before = await stock();
    expectRefused(await place(customer.accessToken, '127.0.0.20'), 'orders');
    expect(await stock()).toBe(before);
    const history = await store.request('orders', 'GET', '/api/orders', {
      token: customer.accessToken,
    });
    expect(history.body.total).toBe(LIMITS.orders);
    // Another account at the same address still orders.
    expect((await place(employee.accessToken, '127.0.0.20')).status).toBe(201);
  });
});
