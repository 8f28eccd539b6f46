import { randomUUID } from 'node:crypto';
import { ProductsMessages } from '@mfm/contracts/products.contract';
import type { Product, Session } from '../support/api-types';
import { RpcStore, startRpcStore } from '../support/rpc-caller';
import { BEHAVIOUR_TOPOLOGIES } from '../support/store';

describe.each(BEHAVIOUR_TOPOLOGIES)(
  'stock reservations and product facts for other modules (%s)',
  (topology) => {
    let store: RpcStore;
    let employeeToken: string;

    beforeAll(async () => {
      store = await startRpcStore(topology);
      const login = await store.request<Session>('users', 'POST', '/api/auth/login', {
        body: { username: 'manager', password: 'FreshBasket-2026' },
      });
      employeeToken = login.body.accessToken;
    });

    afterAll(async () => {
      await store?.close();
    });

    async function newProduct(stock: number, priceCents = 100): Promise<Product> {
      const res = await store.request<Product>('products', 'POST', '/api/products', {
        token: employeeToken,
        body: { name: `Item ${randomUUID()}`, category: 'pantry', priceCents, stock },
      });
      expect(res.status).toBe(201);
      return res.body;
    }
    const stockOf = async (id: string) =>
      (await store.request<Product>('products', 'GET', `/api/products/${id}`)).body.stock;
    const reserve = (
      reservationId: string,
      items: Array<{ productId: string; quantity: number }>,
    ) =>
      store.send<{ created: boolean; items: Array<{ productId: string; quantity: number }> }>(
        'products',
        ProductsMessages.reserveStock.pattern,
        { reservationId, items },
      );
    const release = (reservationId: string) =>
      store.send<{ released: boolean }>('products', ProductsMessages.releaseStock.pattern, {
        reservationId,
      });
    const errorOf = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: {
          getStatus: () => number;
          getResponse: () => { code: string; details?: unknown };
        }) => ({ status: error.getStatus(), ...error.getResponse() }),
      );

    it('reserves all lines or none: one short line → 409 naming it, and no stock is taken', async () => {
      const a = await newProduct(5);
      const b = await newProduct(1);
      const error = await errorOf(
        reserve(randomUUID(), [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 3 },
        ]),
      );
      expect(error).toMatchObject({
        status: 409,
        code: 'INSUFFICIENT_STOCK',
        details: { items: [{ productId: b.id, requested: 3, available: 1 }] },
      });
      expect(await stockOf(a.id)).toBe(5);
      expect(await stockOf(b.id)).toBe(1);
    });

    it('merges the same product twice and is idempotent per reservationId', async () => {
      const a = await newProduct(10);
      const id = randomUUID();
      const first = await reserve(id, [
        { productId: a.id, quantity: 2 },
        { productId: a.id, quantity: 3 },
      ]);
      expect(first).toMatchObject({ created: true, items: [{ productId: a.id, quantity: 5 }] });
      const again = await reserve(id, [{ productId: a.id, quantity: 5 }]);
      expect(again).toMatchObject({ created: false, items: [{ productId: a.id, quantity: 5 }] });
      expect(await stockOf(a.id)).toBe(5);
    });

    it('release restores exactly what was reserved, once', async () => {
      const a = await newProduct(10);
      const b = await newProduct(4);
      const id = randomUUID();
      await reserve(id, [
        { productId: a.id, quantity: 7 },
        { productId: b.id, quantity: 4 },
      ]);
      expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([3, 0]);
      expect(await release(id)).toMatchObject({ released: true });
      expect(await release(id)).toMatchObject({ released: false });
      expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([10, 4]);
      expect(await release(randomUUID())).toMatchObject({ released: false });
    });

    it('refuses unknown and archived products with 422 naming them', async () => {
      const archived = await newProduct(5);
      await store.request('products', 'DELETE', `/api/products/${archived.id}`, {
        token: employeeToken,
      });
      const missing = randomUUID();
      const error = await errorOf(
        reserve(randomUUID(), [
          { productId: missing, quantity: 1 },
          { productId: archived.id, quantity: 1 },
        ]),
      );
      expect(error).toMatchObject({ status: 422, code: 'UNKNOWN_PRODUCT' });
      expect((error as { details: { productIds: string[] } }).details.productIds.sort()).toEqual(
        [missing, archived.id].sort(),
      );
    });

    it('validates payloads: bad quantities and unknown fields → 400 naming the field', async () => {
      const a = await newProduct(5);
      const zero = await errorOf(reserve(randomUUID(), [{ productId: a.id, quantity: 0 }]));
      expect(zero).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(zero)).toContain('items.0.quantity');
      const extra = await errorOf(
        store.send('products', ProductsMessages.reserveStock.pattern, {
          reservationId: 'x',
          items: [{ productId: a.id, quantity: 1 }],
          priceCents: 1,
        }),
      );
      expect(extra).toMatchObject({ status: 400 });
      expect(JSON.stringify(extra)).toContain('priceCents');
      expect(await stockOf(a.id)).toBe(5);
    });

    it('get_many returns authoritative facts by ids or names, archived ones flagged', async () => {
      const live = await newProduct(7, 333);
      const gone = await newProduct(1, 444);
      await store.request('products', 'DELETE', `/api/products/${gone.id}`, {
        token: employeeToken,
      });
      const byIds = await store.send<{ items: Array<Record<string, unknown>> }>(
        'products',
        ProductsMessages.getMany.pattern,
        { ids: [live.id, gone.id, randomUUID()] },
      );
      expect(byIds.items).toHaveLength(2);
      expect(byIds.items.find((p) => p.id === live.id)).toMatchObject({
        name: live.name,
        priceCents: 333,
        stock: 7,
        archived: false,
        category: 'pantry',
      });
      expect(byIds.items.find((p) => p.id === gone.id)).toMatchObject({ archived: true });
      const byNames = await store.send<{ items: Array<Record<string, unknown>> }>(
        'products',
        ProductsMessages.getMany.pattern,
        { names: [live.name.toUpperCase(), 'No such thing'] },
      );
      expect(byNames.items.map((p) => p.id)).toEqual([live.id]);
    });
  },
);
