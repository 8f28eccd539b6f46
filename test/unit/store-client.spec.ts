import { createStoreClient } from '@mfm/client';

/**
 * The generated client can say everything a shopper's app needs: catalogue filters and paging,
 * the search text, the Idempotency-Key of an order, the If-Match of an edit. This file is
 * type-checked with the rest (`npm run typecheck`): a document that lost a parameter breaks the
 * build here; the @ts-expect-error lines break it if the document stops refusing nonsense.
 */
describe('the typed client generated from openapi.json', () => {
  const sent: Request[] = [];
  const client = createStoreClient('http://store.test', {
    token: 'access-token',
    fetch: (input: Parameters<typeof fetch>[0]) => {
      sent.push(input as Request);
      return Promise.resolve(Response.json({ items: [], total: 0, page: 1, limit: 20 }));
    },
  });
  const last = () => sent[sent.length - 1];

  beforeEach(() => (sent.length = 0));

  it('browses the catalogue by category, price, stock, sort and page', async () => {
    const { data } = await client.GET('/api/products', {
      params: {
        query: {
          category: 'dairy',
          minPrice: 100,
          inStock: true,
          sort: 'price',
          page: 2,
          limit: 10,
        },
      },
    });
    expect(data?.total).toBe(0);
    expect(new URL(last().url).search).toBe(
      '?category=dairy&minPrice=100&inStock=true&sort=price&page=2&limit=10',
    );
    expect(last().headers.get('authorization')).toBe('Bearer access-token');
  });

  it('searches by text with facets and paging', async () => {
    await client.GET('/api/search', {
      params: { query: { q: 'choc', category: 'pantry', page: 1 } },
    });
    expect(last().url).toBe('http://store.test/api/search?q=choc&category=pantry&page=1');
  });

  it('places an order with an Idempotency-Key and edits with If-Match', async () => {
    await client.POST('/api/orders', {
      params: { header: { 'Idempotency-Key': 'checkout-1' } },
      body: { items: [{ productId: '6f1c2f0e-1c2b-4c5d-9e8f-0a1b2c3d4e5f', quantity: 2 }] },
    });
    expect(last().method).toBe('POST');
    expect(last().headers.get('idempotency-key')).toBe('checkout-1');
    expect(await last().json()).toEqual({
      items: [{ productId: '6f1c2f0e-1c2b-4c5d-9e8f-0a1b2c3d4e5f', quantity: 2 }],
    });

    await client.PATCH('/api/products/{id}', {
      params: {
        path: { id: '6f1c2f0e-1c2b-4c5d-9e8f-0a1b2c3d4e5f' },
        header: { 'If-Match': '"3"' },
      },
      body: { priceCents: 199 },
    });
    expect(last().url).toBe('http://store.test/api/products/6f1c2f0e-1c2b-4c5d-9e8f-0a1b2c3d4e5f');
    expect(last().headers.get('if-match')).toBe('"3"');
  });

  it('refuses at compile time what the API refuses', () => {
    // Nothing is sent: these lines exist for the type checker.
    const never = () => {
      // @ts-expect-error: the catalogue has no such filter
      void client.GET('/api/products', { params: { query: { colour: 'red' } } });
      // @ts-expect-error: an order needs its items
      void client.POST('/api/orders', { body: {} });
      // @ts-expect-error: no such route
      void client.GET('/api/basket');
    };
    expect(typeof never).toBe('function');
  });
});
