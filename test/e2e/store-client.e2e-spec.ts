import { randomUUID } from 'node:crypto';
import { StoreClient, createStoreClient } from '@mfm/client';
import { DEMO } from '../support/accounts';
import { Module, Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * The catalogue and orders, driven only through the typed client generated from openapi.json,
 * as a client application would: a document that drifts from the server (a renamed parameter, a
 * changed shape) fails here, at compile time or in the answers.
 */
describe.each(BEHAVIOUR_TOPOLOGIES)(
  'catalogue and orders through the generated client (%s)',
  (topology) => {
    let store: Store;
    let anonymous: Record<Module, StoreClient>;
    let employee: Record<Module, StoreClient>;
    let customer: Record<Module, StoreClient>;

    const clients = (token?: string) =>
      Object.fromEntries(
        (['users', 'products', 'search', 'orders', 'logging'] as const).map((module) => [
          module,
          createStoreClient(store.baseUrl(module), { token }),
        ]),
      ) as Record<Module, StoreClient>;

    const tokenOf = async (username: string, password: string) => {
      const { data, response } = await anonymous.users.POST('/api/auth/login', {
        body: { username, password },
      });
      if (!data || !('accessToken' in data))
        throw new Error(`login ${username}: ${response.status}`);
      return data.accessToken;
    };

    beforeAll(async () => {
      store = await Store.start(topology);
      anonymous = clients();
      employee = clients(await tokenOf(DEMO.employee.username, DEMO.employee.password));
      customer = clients(await tokenOf(DEMO.customer.username, DEMO.customer.password));
    });

    afterAll(async () => {
      await store?.close();
    });

    it('browses a category with price and stock filters, sorted by price, page by page', async () => {
      const query = {
        category: 'dairy',
        inStock: true,
        sort: 'price',
        order: 'asc',
        limit: 3,
      } as const;
      const first = await anonymous.products.GET('/api/products', { params: { query } });
      const second = await anonymous.products.GET('/api/products', {
        params: { query: { ...query, page: 2 } },
      });
      expect(first.response.status).toBe(200);
      const items = [...(first.data?.items ?? []), ...(second.data?.items ?? [])];
      expect(items.length).toBeGreaterThan(3);
      expect(items.every((p) => p.category === 'dairy' && p.stock > 0)).toBe(true);
      const prices = items.map((p) => p.priceCents);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
      expect(new Set(items.map((p) => p.id)).size).toBe(items.length);
      expect(second.data?.total).toBe(first.data?.total);

      const cheap = await anonymous.products.GET('/api/products', {
        params: { query: { maxPrice: prices[0], limit: 100 } },
      });
      expect(cheap.data?.items.every((p) => p.priceCents <= prices[0])).toBe(true);
    });

    it('searches as a shopper types, with category facets', async () => {
      const { data, response } = await anonymous.search.GET('/api/search', {
        params: { query: { q: 'mil' } },
      });
      expect(response.status).toBe(200);
      expect(data?.items.some((hit) => /milk/i.test(hit.name))).toBe(true);
      expect(data?.facets.find((facet) => facet.category === 'dairy')?.count).toBeGreaterThan(0);
    });

    it('lets an employee add, edit (If-Match) and archive a product, and refuses a stale edit', async () => {
      const name = `Client cheddar ${randomUUID().slice(0, 8)}`;
      const created = await employee.products.POST('/api/products', {
        body: { name, category: 'dairy', priceCents: 450, stock: 7 },
      });
      expect(created.response.status).toBe(201);
      const id = created.data!.id;
      const edited = await employee.products.PATCH('/api/products/{id}', {
        params: { path: { id }, header: { 'If-Match': `"${created.data!.version}"` } },
        body: { priceCents: 425 },
      });
      expect(edited.data).toMatchObject({ priceCents: 425, version: created.data!.version + 1 });
      const stale = await employee.products.PATCH('/api/products/{id}', {
        params: { path: { id }, header: { 'If-Match': `"${created.data!.version}"` } },
        body: { priceCents: 1 },
      });
      expect(stale.response.status).toBe(409);
      expect(stale.error).toMatchObject({ code: 'VERSION_CONFLICT' });
      const archived = await employee.products.DELETE('/api/products/{id}', {
        params: { path: { id } },
      });
      expect(archived.response.status).toBe(204);
      const gone = await anonymous.products.GET('/api/products/{id}', { params: { path: { id } } });
      expect(gone.error).toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
    });

    it('places an order once per Idempotency-Key, lists it, and cancels it', async () => {
      const { data: page } = await anonymous.products.GET('/api/products', {
        params: { query: { inStock: true, limit: 2 } },
      });
      const items = page!.items.map((p) => ({ productId: p.id, quantity: 1 }));
      const key = `client-${randomUUID()}`;
      const place = () =>
        customer.orders.POST('/api/orders', {
          params: { header: { 'Idempotency-Key': key } },
          body: { items },
        });
      const first = await place();
      const repeat = await place();
      expect(first.response.status).toBe(201);
      expect(first.data).toMatchObject({ status: 'CONFIRMED' });
      expect(first.data!.totalCents).toBe(
        page!.items.reduce((sum, p) => sum + p.priceCents, 0) + first.data!.taxCents,
      );
      expect(repeat.data?.id).toBe(first.data!.id);

      const history = await customer.orders.GET('/api/orders', {
        params: { query: { limit: 100 } },
      });
      expect(history.data?.items.filter((order) => order.id === first.data!.id)).toHaveLength(1);

      const cancelled = await customer.orders.POST('/api/orders/{id}/cancel', {
        params: { path: { id: first.data!.id } },
      });
      expect(cancelled.data?.status).toBe('CANCELLED');
      const again = await customer.orders.GET('/api/orders/{id}', {
        params: { path: { id: first.data!.id } },
      });
      expect(again.data?.status).toBe('CANCELLED');
    });

    it('answers errors in the documented shape', async () => {
      const { error, response } = await customer.orders.POST('/api/orders', {
        body: { items: [{ productId: randomUUID(), quantity: 1 }] },
      });
      expect(response.status).toBe(422);
      expect(error).toMatchObject({ statusCode: 422, code: 'UNKNOWN_PRODUCT' });
    });
  },
);
