import { randomUUID } from 'node:crypto';
import { DEMO, login, newCustomer } from '../support/accounts';
import { HttpResult, Module, Store, TOPOLOGIES } from '../support/store';

/**
 * Input that used to reach the database as nonsense (an offset of Infinity, a NULL in a NOT NULL
 * column) and came back as 500: each must be a 400 that names the field, and change nothing.
 */
describe.each(TOPOLOGIES)('hostile input on the public edge (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: string;

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await newCustomer(store)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  const fieldsOf = (res: HttpResult) =>
    ((res.body?.details?.fields ?? []) as Array<{ field: string }>).map((f) => f.field);

  const expect400 = (res: HttpResult, field: string) => {
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
        expect400(await store.request(module, 'GET', `${path}?page=${page}`, { token }), 'page');
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
    expect400(await store.request(module, 'GET', `${path}?minPrice=1e308`), 'minPrice');
    expect400(await store.request(module, 'GET', `${path}?maxPrice=1e21`), 'maxPrice');
  });

  it('PATCH /api/users/{id}: null in any field is a 400 naming it, and the account is unchanged', async () => {
    const victim = await newCustomer(store);
    const before = await store.request('users', 'GET', `/api/users/${victim.user.id}`, {
      token: employee,
    });
    expect(before.status).toBe(200);
    for (const field of ['role', 'enabled', 'firstName', 'lastName', 'email']) {
      const res = await store.request('users', 'PATCH', `/api/users/${victim.user.id}`, {
        token: employee,
        body: { [field]: null },
      });
      expect400(res, field);
    }
    const after = await store.request('users', 'GET', `/api/users/${victim.user.id}`, {
      token: employee,
    });
    expect(after.body).toEqual(before.body);
  });

  it('PATCH /api/products/{id}: null in a required field or version is a 400 naming it, and the product is unchanged', async () => {
    const created = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Null probe ${randomUUID()}`, category: 'pantry', priceCents: 300, stock: 2 },
    });
    expect(created.status).toBe(201);
    for (const field of ['name', 'category', 'priceCents', 'stock', 'version']) {
      const res = await store.request('products', 'PATCH', `/api/products/${created.body.id}`, {
        token: employee,
        body: { [field]: null },
      });
      expect400(res, field);
    }
    const after = await store.request('products', 'GET', `/api/products/${created.body.id}`);
    expect(after.body).toEqual(created.body);
  });
});
