import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import type { Product, ProductPage, ValidationErrorBody } from '../support/api-types';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

describe.each(BEHAVIOUR_TOPOLOGIES)('products catalogue (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: string;

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await login(store, DEMO.customer.username, DEMO.customer.password)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  // The body is a Product on success and the error shape otherwise.
  const create = (body: Record<string, unknown>, token = employee) =>
    store.request<Product & Partial<ValidationErrorBody>>('products', 'POST', '/api/products', {
      token,
      body,
    });
  const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
  const list = (query: string) =>
    store.request<ProductPage & Partial<ValidationErrorBody>>(
      'products',
      'GET',
      `/api/products?${query}`,
    );

  describe('public catalogue', () => {
    it('is seeded with about fifty products across the grocery categories', async () => {
      const res = await list('limit=100');
      expect(res.status).toBe(200);
      expect(res.body.total).toBeGreaterThanOrEqual(45);
      const categories = new Set(res.body.items.map((p) => p.category));
      for (const category of ['dairy', 'produce', 'bakery', 'pantry', 'frozen', 'beverages'])
        expect(categories).toContain(category);
    });

    it('pages: limit and page select disjoint slices and the total stays the same', async () => {
      const first = await list('limit=10&page=1');
      const second = await list('limit=10&page=2');
      expect(first.body.items).toHaveLength(10);
      expect(second.body.total).toBe(first.body.total);
      const overlap = second.body.items.filter((p) => first.body.items.some((q) => q.id === p.id));
      expect(overlap).toEqual([]);
      expect((await list('limit=101')).status).toBe(400);
    });

    it('pages by cursor exactly as by page number, for every sort, and refuses a foreign cursor', async () => {
      for (const sort of ['name', 'price', 'updatedAt', 'rating'])
        for (const order of ['asc', 'desc']) {
          const base = `sort=${sort}&order=${order}&limit=7`;
          const byNumber: string[] = [];
          const byCursor: string[] = [];
          let cursor: string | null = null;
          for (let page = 1; page <= 20; page++) {
            const plain = await list(`${base}&page=${page}`);
            const keyed = await list(
              `${base}&page=${page}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            );
            expect(keyed.status).toBe(200);
            byNumber.push(...plain.body.items.map((p) => p.id));
            byCursor.push(...keyed.body.items.map((p) => p.id));
            cursor = keyed.body.nextCursor;
            if (!cursor) break;
          }
          expect(byCursor).toEqual(byNumber);
          expect(cursor).toBeNull();
        }
      const first = await list('category=dairy&limit=2');
      const foreign = await list(
        `category=bakery&limit=2&page=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
      );
      expect(foreign.status).toBe(400);
      expect(foreign.body.code).toBe('VALIDATION_FAILED');
      expect(foreign.body.details?.fields?.[0].field).toBe('cursor');
    });

    it('filters by category, price range and stock', async () => {
      const dairy = await list('category=dairy&limit=100');
      expect(dairy.body.items.length).toBeGreaterThan(0);
      expect(dairy.body.items.every((p) => p.category === 'dairy')).toBe(true);
      expect(dairy.body.total).toBe(dairy.body.items.length);

      const range = await list('minPrice=200&maxPrice=300&limit=100');
      expect(range.body.items.length).toBeGreaterThan(0);
      expect(range.body.items.every((p) => p.priceCents >= 200 && p.priceCents <= 300)).toBe(true);

      const empty = await create({
        name: unique('Sold out soup'),
        category: 'pantry',
        priceCents: 150,
        stock: 0,
      });
      const outOfStock = await list('inStock=false&limit=100');
      expect(outOfStock.body.items.map((p) => p.id)).toContain(empty.body.id);
      expect(outOfStock.body.items.every((p) => p.stock === 0)).toBe(true);
      const inStock = await list('inStock=true&limit=100');
      expect(inStock.body.items.every((p) => p.stock > 0)).toBe(true);
    });

    it('sorts by name, price and updatedAt in either direction', async () => {
      const byName = (await list('sort=name&limit=100')).body.items.map((p) =>
        p.name.toLowerCase(),
      );
      expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const byPriceDesc = (await list('sort=price&order=desc&limit=100')).body.items.map(
        (p) => p.priceCents,
      );
      expect(byPriceDesc).toEqual([...byPriceDesc].sort((a, b) => b - a));
      const touched = await create({
        name: unique('Fresh figs'),
        category: 'produce',
        priceCents: 499,
        stock: 5,
      });
      const newest = (await list('sort=updatedAt&order=desc&limit=1')).body.items[0];
      expect(newest.id).toBe(touched.body.id);
    });

    it('rejects bad query parameters with 400 naming them', async () => {
      const res = await list('sort=colour&minPrice=-1&inStock=maybe&category=Dairy%20Stuff');
      expect(res.status).toBe(400);
      const fields = res.body.details?.fields.map((f) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['sort', 'minPrice', 'inStock', 'category']));
    });

    it('gets one product by id; unknown id → 404, malformed id → 400', async () => {
      const some = (await list('limit=1')).body.items[0];
      const res = await store.request<Product>('products', 'GET', `/api/products/${some.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(some);
      const missing = await store.request('products', 'GET', `/api/products/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('PRODUCT_NOT_FOUND');
      expect((await store.request('products', 'GET', '/api/products/not-a-uuid')).status).toBe(400);
    });
  });

  describe('employee writes', () => {
    it('creates a product (201) with a trimmed name, and refuses a duplicate name ignoring case → 409', async () => {
      const name = unique('Blue cheese');
      const res = await create({
        name: `  ${name}  `,
        description: 'Creamy and sharp',
        category: 'dairy',
        priceCents: 525,
        stock: 12,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        category: 'dairy',
        priceCents: 525,
        stock: 12,
        inStock: true,
        version: 1,
      });
      const again = await create({
        name: name.toUpperCase(),
        category: 'dairy',
        priceCents: 100,
        stock: 1,
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PRODUCT_NAME_TAKEN');
    });

    it('rejects invalid fields with 400 listing each, and unknown fields', async () => {
      const res = await create({
        name: '',
        category: 'Fresh Fish',
        priceCents: 0,
        stock: -1,
        description: 'x'.repeat(2001),
        colour: 'red',
      });
      expect(res.status).toBe(400);
      const fields = res.body.details?.fields.map((f) => f.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'name',
          'category',
          'priceCents',
          'stock',
          'description',
          'colour',
        ]),
      );
      const tooExpensive = await create({
        name: unique('Gold bar'),
        category: 'pantry',
        priceCents: 10_000_001,
        stock: 1,
      });
      expect(tooExpensive.status).toBe(400);
      const fractional = await create({
        name: unique('Half cent'),
        category: 'pantry',
        priceCents: 1.5,
        stock: 1,
      });
      expect(fractional.status).toBe(400);
    });

    it('patches any subset of fields and bumps the version', async () => {
      const created = (
        await create({ name: unique('Rye bread'), category: 'bakery', priceCents: 300, stock: 10 })
      ).body;
      const res = await store.request<Product>('products', 'PATCH', `/api/products/${created.id}`, {
        token: employee,
        body: { priceCents: 350 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        priceCents: 350,
        stock: 10,
        name: created.name,
        version: 2,
      });
      const read = await store.request<Product>('products', 'GET', `/api/products/${created.id}`);
      expect(read.body.priceCents).toBe(350);
    });

    it('refuses a stale version with 409 (If-Match header or version field) and changes nothing', async () => {
      const created = (
        await create({ name: unique('Goat cheese'), category: 'dairy', priceCents: 400, stock: 10 })
      ).body;
      const first = await store.request('products', 'PATCH', `/api/products/${created.id}`, {
        token: employee,
        headers: { 'if-match': '"1"' },
        body: { stock: 9 },
      });
      expect(first.status).toBe(200);
      const staleHeader = await store.request('products', 'PATCH', `/api/products/${created.id}`, {
        token: employee,
        headers: { 'if-match': '"1"' },
        body: { stock: 1 },
      });
      expect(staleHeader.status).toBe(409);
      expect(staleHeader.body).toMatchObject({
        code: 'VERSION_CONFLICT',
        details: { currentVersion: 2 },
      });
      const staleBody = await store.request('products', 'PATCH', `/api/products/${created.id}`, {
        token: employee,
        body: { stock: 1, version: 1 },
      });
      expect(staleBody.status).toBe(409);
      const read = await store.request<Product>('products', 'GET', `/api/products/${created.id}`);
      expect(read.body).toMatchObject({ stock: 9, version: 2 });
    });

    it('archives: hidden from the catalogue and from GET by id, name free again', async () => {
      const name = unique('Seasonal eggnog');
      const created = (await create({ name, category: 'beverages', priceCents: 399, stock: 3 }))
        .body;
      const res = await store.request('products', 'DELETE', `/api/products/${created.id}`, {
        token: employee,
      });
      expect(res.status).toBe(204);
      expect((await store.request('products', 'GET', `/api/products/${created.id}`)).status).toBe(
        404,
      );
      const all = await list('category=beverages&limit=100');
      expect(all.body.items.map((p) => p.id)).not.toContain(created.id);
      expect(
        (await create({ name, category: 'beverages', priceCents: 399, stock: 3 })).status,
      ).toBe(201);
    });

    it.each([
      ['POST', '/api/products'],
      ['PATCH', `/api/products/${randomUUID()}`],
      ['DELETE', `/api/products/${randomUUID()}`],
    ])('%s %s: customer → 403, no token → 401, bad token → 401', async (method, path) => {
      const body =
        method === 'DELETE'
          ? undefined
          : { name: unique('Nope'), category: 'pantry', priceCents: 100, stock: 1 };
      const asCustomer = await store.request('products', method, path, { token: customer, body });
      expect(asCustomer.status).toBe(403);
      expect(asCustomer.body.code).toBe('FORBIDDEN');
      const anonymous = await store.request('products', method, path, { body });
      expect(anonymous.status).toBe(401);
      const forged = await store.request('products', method, path, {
        token: `${employee.slice(0, -4)}AAAA`,
        body,
      });
      expect(forged.status).toBe(401);
    });

    it('PATCH and DELETE of an unknown product → 404', async () => {
      const patch = await store.request('products', 'PATCH', `/api/products/${randomUUID()}`, {
        token: employee,
        body: { stock: 1 },
      });
      expect(patch.status).toBe(404);
      const del = await store.request('products', 'DELETE', `/api/products/${randomUUID()}`, {
        token: employee,
      });
      expect(del.status).toBe(404);
    });
  });
});
