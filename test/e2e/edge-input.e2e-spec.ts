import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { DEMO, login, newCustomer } from '../support/accounts';
import type {
  ErrorBody,
  Product,
  ProductPage,
  Schema,
  ValidationErrorBody,
} from '../support/api-types';
import { Refusal, sendRefusable } from '../support/http';
import { HttpResult, Module, Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * Input that used to reach the database as nonsense (an offset of Infinity, a NULL in a NOT NULL
 * column) and came back as 500: each must be a 400 that names the field, and change nothing.
 */
type User = Schema<'UserResponse'>;
/** A 400 naming the fields at fault. */
type Invalid = ValidationErrorBody;

describe.each(BEHAVIOUR_TOPOLOGIES)('hostile input on the public edge (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: string;

  beforeAll(async () => {
    store = await Store.start(topology, { env: { HTTP_REQUEST_TIMEOUT_MS: '2000' } });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await newCustomer(store)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  const fieldsOf = (res: HttpResult<Invalid>) =>
    (res.body?.details?.fields ?? []).map((f) => f.field);

  const expect400 = (res: HttpResult<Invalid>, field: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(fieldsOf(res)).toContain(field);
  };

  const lists: Array<[Module, string, 'employee' | 'customer' | 'anonymous']> = [
    ['products', '/api/products', 'anonymous'],
    ['search', '/api/search', 'anonymous'],
    ['users', '/api/users', 'employee'],
    ['orders', '/api/orders', 'customer'],
    ['logging', '/api/logs', 'employee'],
  ];

  it.each(lists)(
    '%s %s: a page number beyond any page is a 400 naming page',
    async (module, path, who) => {
      const token = who === 'employee' ? employee : who === 'customer' ? customer : undefined;
      for (const page of ['1e308', '99999999999999999999', '10001', 'Infinity', '-1', '1.5']) {
        expect400(
          await store.request<Invalid>(module, 'GET', `${path}?page=${page}`, { token }),
          'page',
        );
      }
      expect((await store.request(module, 'GET', `${path}?page=10000`, { token })).status).toBe(
        200,
      );
    },
  );

  it.each([
    ['products', '/api/products'],
    ['search', '/api/search'],
  ] as const)('%s: a price filter beyond any price is a 400 naming it', async (module, path) => {
    expect400(await store.request<Invalid>(module, 'GET', `${path}?minPrice=1e308`), 'minPrice');
    expect400(await store.request<Invalid>(module, 'GET', `${path}?maxPrice=1e21`), 'maxPrice');
  });

  it.each([
    ['products', '/api/products'],
    ['search', '/api/search'],
  ] as const)(
    '%s: a rating filter in exponent form or finer than a tenth is a 400 naming it',
    async (module, path) => {
      for (const value of ['1e-9', '8e-323', '4.25'])
        expect400(
          await store.request<Invalid>(module, 'GET', `${path}?minRating=${value}`),
          'minRating',
        );
      expect((await store.request(module, 'GET', `${path}?minRating=4.5`)).status).toBe(200);
    },
  );

  it('PATCH /api/users/{id}: null in any field is a 400 naming it, and the account is unchanged', async () => {
    const victim = await newCustomer(store);
    const before = await store.request<User>('users', 'GET', `/api/users/${victim.user.id}`, {
      token: employee,
    });
    expect(before.status).toBe(200);
    for (const field of ['role', 'enabled', 'firstName', 'lastName', 'email']) {
      const res = await store.request<Invalid>('users', 'PATCH', `/api/users/${victim.user.id}`, {
        token: employee,
        body: { [field]: null },
      });
      expect400(res, field);
    }
    const after = await store.request<User>('users', 'GET', `/api/users/${victim.user.id}`, {
      token: employee,
    });
    expect(after.body).toEqual(before.body);
  });

  it('PATCH /api/products/{id}: null in a required field or version is a 400 naming it, and the product is unchanged', async () => {
    const created = await store.request<Product>('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Null probe ${randomUUID()}`, category: 'pantry', priceCents: 300, stock: 2 },
    });
    expect(created.status).toBe(201);
    for (const field of ['name', 'category', 'priceCents', 'stock', 'version']) {
      const res = await store.request<Invalid>(
        'products',
        'PATCH',
        `/api/products/${created.body.id}`,
        {
          token: employee,
          body: { [field]: null },
        },
      );
      expect400(res, field);
    }
    const after = await store.request<Product>(
      'products',
      'GET',
      `/api/products/${created.body.id}`,
    );
    expect(after.body).toEqual(created.body);
  });

  it('refuses text with a NUL character (which PostgreSQL cannot store) with 400 naming the field', async () => {
    const register = await store.request<Invalid>('users', 'POST', '/api/auth/register', {
      body: {
        firstName: 'Ada',
        lastName: 'Love\u0000lace',
        username: `nul_${randomUUID().slice(0, 8)}`,
        email: `nul_${randomUUID().slice(0, 8)}@example.com`,
        password: 'Analytical-Engine-1843',
      },
    });
    expect400(register, 'lastName');
    expect400(
      await store.request<Invalid>('users', 'POST', '/api/auth/login', {
        body: { username: '\u0000', password: 'whatever' },
      }),
      'username',
    );
    expect400(await store.request<Invalid>('search', 'GET', '/api/search?q=milk%00'), 'q');
    expect400(
      await store.request<Invalid>('products', 'POST', '/api/products', {
        token: employee,
        body: { name: 'Nul\u0000', category: 'pantry', priceCents: 100, stock: 1 },
      }),
      'name',
    );
  });

  const hostileLogin = '['.repeat(400_000) + ']'.repeat(400_000);
  const hostileDeep = '['.repeat(30_000) + ']'.repeat(30_000);
  const raw = <T = unknown>(module: Module, path: string, body: string, token?: string) =>
    store.request<T>(module, 'POST', path, {
      token,
      body,
      headers: { 'content-type': 'application/json' },
    });

  /** Sent as a real client sends it: a refusal may close the connection before the answer is read. */
  const refusable = (module: Module, path: string, body: string, token?: string) =>
    sendRefusable(
      store.baseUrl(module),
      path,
      body,
      token ? { authorization: `Bearer ${token}` } : {},
    );
  const refusedTooLarge = (refusal: Refusal) =>
    refusal.closedBeforeAnswer || refusal.status === 413;
  const refusedTooDeep = (refusal: Refusal) =>
    refusal.status === 400 && refusal.code === 'BODY_TOO_DEEP';

  it('refuses bodies nested deeper than 32 levels with 400, and oversized ones with 413', async () => {
    const deep = await raw<ErrorBody>('products', '/api/products', hostileDeep, employee);
    expect({ status: deep.status, code: deep.body?.code }).toEqual({
      status: 400,
      code: 'BODY_TOO_DEEP',
    });
    const deepLogin = await raw<ErrorBody>(
      'users',
      '/api/auth/login',
      '['.repeat(40) + ']'.repeat(40),
    );
    expect({ status: deepLogin.status, code: deepLogin.body?.code }).toEqual({
      status: 400,
      code: 'BODY_TOO_DEEP',
    });
    // Sign-in routes take a few small fields: 8 KB is plenty. Other routes take up to 64 KB.
    // 800 KB is refused before it is read: the answer, or the connection closed under the writer.
    expect(refusedTooLarge(await refusable('users', '/api/auth/login', hostileLogin))).toBe(true);
    expect(
      (await raw('users', '/api/auth/login', JSON.stringify({ username: 'x'.repeat(9000) })))
        .status,
    ).toBe(413);
    const big = JSON.stringify({
      name: 'Big',
      category: 'pantry',
      priceCents: 1,
      stock: 1,
      description: 'x'.repeat(70_000),
    });
    expect((await raw('products', '/api/products', big, employee)).status).toBe(413);
    // A normal body still works.
    const ok = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: DEMO.employee.username, password: DEMO.employee.password },
    });
    expect(ok.status).toBe(200);
  });

  it('answers a normal request alongside 10 hostile bodies about as fast as alone', async () => {
    const product = (await store.request<ProductPage>('products', 'GET', '/api/products?limit=1'))
      .body.items[0];
    const timedRead = async () => {
      const started = performance.now();
      const res = await store.request('products', 'GET', `/api/products/${product.id}`);
      expect(res.status).toBe(200);
      return performance.now() - started;
    };
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (let i = 0; i < 5; i++) await timedRead(); // warm-up
    const alone: number[] = [];
    const alongside: number[] = [];
    for (let round = 0; round < 7; round++) {
      alone.push(await timedRead());
      const hostile = Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? refusable('users', '/api/auth/login', hostileLogin).then(refusedTooLarge)
          : refusable('products', '/api/products', hostileDeep, employee).then(refusedTooDeep),
      );
      alongside.push(await timedRead());
      expect(await Promise.all(hostile)).toEqual(Array(10).fill(true));
    }
    // A ratio, not a time: before the nesting limit, one such body held the event loop for seconds.
    expect(median(alongside) / median(alone)).toBeLessThan(20);
  });

  it('cuts off a client that never finishes sending its request', async () => {
    const port = Number(new URL(store.baseUrl('users')).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        // Announces a body it never sends: the server must not wait for it forever.
        socket.write(
          'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
        );
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer.split('\r\n')[0] || 'closed'));
      socket.setTimeout(20_000, () => {
        resolve('still open after 20 s');
        socket.destroy();
      });
    });
    expect(outcome).toMatch(/^(HTTP\/1\.1 408|closed)/);
  });
});
