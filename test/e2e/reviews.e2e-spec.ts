import { randomUUID } from 'node:crypto';
import { DEMO, login, newCustomer } from '../support/accounts';
import type { Product, Schema } from '../support/api-types';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * Product reviews and ratings, in both topologies: only customers with a CONFIRMED order of the
 * product may review it (products asks orders), once each; authors edit theirs, employees hide
 * reviews with an audited reason; the average and count show on the product, and the catalogue
 * and the search sort and filter by them.
 */
describe.each(BEHAVIOUR_TOPOLOGIES)('products: reviews and ratings (%s)', (topology) => {
  let store: Store;
  let employee: string;
  const tag = `rv${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const products: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  type Customer = Awaited<ReturnType<typeof newCustomer>>;
  let c1: Customer;
  let c2: Customer;
  let c3: Customer;

  const buy = async (customer: Customer, productId: string) => {
    const res = await store.request('orders', 'POST', '/api/orders', {
      token: customer.accessToken,
      body: { items: [{ productId, quantity: 1 }] },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const review = (customer: Customer, productId: string, rating: number, text: string) =>
    store.request('products', 'POST', `/api/products/${productId}/reviews`, {
      token: customer.accessToken,
      body: { rating, text },
    });
  const product = async (id: string) =>
    (await store.request<Product>('products', 'GET', `/api/products/${id}`)).body;
  const searchIds = async (query: string) =>
    (
      await store.request<Schema<'SearchResponse'>>(
        'search',
        'GET',
        `/api/search?q=${tag}&${query}`,
      )
    ).body.items;

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    for (const [key, name] of [
      ['a', 'Apricot jam'],
      ['b', 'Bramble jelly'],
      ['c', 'Cherry compote'],
    ] as const) {
      const res = await store.request('products', 'POST', '/api/products', {
        token: employee,
        body: { name: `${tag} ${name}`, category: 'pantry', priceCents: 350, stock: 50 },
      });
      expect(res.status).toBe(201);
      products[key] = res.body.id;
    }
    [c1, c2, c3] = await Promise.all([newCustomer(store), newCustomer(store), newCustomer(store)]);
    await buy(c1, products.a);
    await buy(c2, products.a);
    await buy(c3, products.b);
  });

  afterAll(async () => {
    await store?.close();
  });

  it('takes reviews only from customers with a confirmed order of the product, once each', async () => {
    const noOrder = await review(c3, products.a, 5, 'Never tried it');
    expect(noOrder.status).toBe(403);
    expect(noOrder.body.code).toBe('PURCHASE_REQUIRED');
    // A cancelled order is not a purchase.
    const c4 = await newCustomer(store);
    const orderId = await buy(c4, products.c);
    await store.request('orders', 'POST', `/api/orders/${orderId}/cancel`, {
      token: c4.accessToken,
    });
    expect((await review(c4, products.c, 4, 'Cancelled')).body.code).toBe('PURCHASE_REQUIRED');
    const bad = await review(c1, products.a, 6, 'Too good');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('rating');

    const first = await review(c1, products.a, 5, 'Sunny and not too sweet.');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rating: 5, username: c1.user.username, hidden: false });
    const twice = await review(c1, products.a, 4, 'Again');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('REVIEW_EXISTS');
    expect((await review(c2, products.a, 2, 'Too runny for me.')).status).toBe(201);
    expect((await review(c3, products.b, 4, 'Tart, lovely on scones.')).status).toBe(201);
    expect(
      (
        await store.request('products', 'POST', `/api/products/${products.a}/reviews`, {
          body: { rating: 5, text: 'anonymous' },
        })
      ).status,
    ).toBe(401);
  });

  it('shows the average and the count on the product, in the catalogue and in search, and sorts and filters by them', async () => {
    expect(await product(products.a)).toMatchObject({ ratingAverage: 3.5, ratingCount: 2 });
    expect(await product(products.b)).toMatchObject({ ratingAverage: 4, ratingCount: 1 });
    expect(await product(products.c)).toMatchObject({ ratingAverage: null, ratingCount: 0 });

    const catalogue = await store.request(
      'products',
      'GET',
      '/api/products?category=pantry&sort=rating&order=desc&minRating=3.5&limit=100',
    );
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.items.map((p: { id: string }) => p.id)).toEqual([products.b, products.a]);
    const byRating = await store.request(
      'products',
      'GET',
      '/api/products?category=pantry&sort=rating&order=desc&limit=100',
    );
    const ids: string[] = byRating.body.items.map((p: { id: string }) => p.id);
    expect(ids.slice(0, 2)).toEqual([products.b, products.a]);
    expect(ids.indexOf(products.c)).toBeGreaterThan(1);

    const hits = await searchIds('sort=rating');
    expect(hits.map((h) => h.id)).toEqual([products.b, products.a, products.c]);
    expect(hits[1]).toMatchObject({ ratingAverage: 3.5, ratingCount: 2 });
    expect((await searchIds('minRating=4')).map((h) => h.id)).toEqual([products.b]);
    const badFilter = await store.request('search', 'GET', `/api/search?q=${tag}&minRating=9`);
    expect(badFilter.status).toBe(400);
    expect(JSON.stringify(badFilter.body.details)).toContain('minRating');
  });

  it('lets only the author edit a review, and the rating follows', async () => {
    const page = await store.request('products', 'GET', `/api/products/${products.a}/reviews`);
    const mine = page.body.items.find((r: { username: string }) => r.username === c2.user.username);
    const path = `/api/products/${products.a}/reviews/${mine.id}`;
    const other = await store.request('products', 'PATCH', path, {
      token: c1.accessToken,
      body: { rating: 1 },
    });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('NOT_REVIEW_AUTHOR');
    const edited = await store.request('products', 'PATCH', path, {
      token: c2.accessToken,
      body: { rating: 3, text: 'Better on a second jar.' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ rating: 3, text: 'Better on a second jar.' });
    expect(await product(products.a)).toMatchObject({ ratingAverage: 4, ratingCount: 2 });
    expect((await searchIds('sort=rating')).map((h) => h.id)).toEqual([
      products.a,
      products.b,
      products.c,
    ]);
  });

  it('lets employees hide a review with a reason: off the page and the rating, audited', async () => {
    const page = await store.request('products', 'GET', `/api/products/${products.a}/reviews`);
    const target = page.body.items.find(
      (r: { username: string }) => r.username === c1.user.username,
    );
    const path = `/api/products/${products.a}/reviews/${target.id}/hide`;
    expect(
      (
        await store.request('products', 'POST', path, {
          token: c2.accessToken,
          body: { reason: 'spam' },
        })
      ).status,
    ).toBe(403);
    const noReason = await store.request('products', 'POST', path, { token: employee, body: {} });
    expect(noReason.status).toBe(400);
    const hidden = await store.request('products', 'POST', path, {
      token: employee,
      body: { reason: 'Mentions a phone number' },
    });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ hidden: true, hiddenReason: 'Mentions a phone number' });

    const after = await store.request('products', 'GET', `/api/products/${products.a}/reviews`);
    expect(after.body).toMatchObject({ total: 1, ratingAverage: 3, ratingCount: 1 });
    expect(after.body.items.map((r: { id: string }) => r.id)).not.toContain(target.id);
    // Asking for hidden ones: employees get them, customers do not.
    const asCustomer = await store.request(
      'products',
      'GET',
      `/api/products/${products.a}/reviews?includeHidden=true`,
      {
        token: c1.accessToken,
      },
    );
    expect(asCustomer.body.total).toBe(1);
    const asEmployee = await store.request(
      'products',
      'GET',
      `/api/products/${products.a}/reviews?includeHidden=true`,
      {
        token: employee,
      },
    );
    expect(asEmployee.body.total).toBe(2);
    expect(await product(products.a)).toMatchObject({ ratingAverage: 3, ratingCount: 1 });
    expect((await searchIds('minRating=3.5')).map((h) => h.id)).toEqual([products.b]);

    const log = await store.request('logging', 'GET', '/api/logs?type=review_hidden', {
      token: employee,
    });
    expect(log.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: expect.objectContaining({ username: DEMO.employee.username }),
          payload: expect.objectContaining({
            reason: 'Mentions a phone number',
            author: c1.user.username,
          }),
        }),
      ]),
    );
  });
});
