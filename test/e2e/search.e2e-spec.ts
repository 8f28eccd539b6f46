import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import type { Product, Schema } from '../support/api-types';
import { eventually } from '../support/platform';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

type Results = Schema<'SearchResponse'>;
type ReindexJob = Schema<'ReindexJobResponse'>;

/** Both engines keep every promise below; the in-memory one (the default) adds typos. */
const ENGINES = ['memory', 'sql'] as const;

describe.each(BEHAVIOUR_TOPOLOGIES.flatMap((t) => ENGINES.map((e) => [t, e] as const)))(
  'search (%s, SEARCH_ENGINE=%s)',
  (topology, engine) => {
    let store: Store;
    let employee: string;
    /** A word no seed product contains, so each test sees only its own products. */
    const tag = `zq${randomUUID().replace(/-/g, '').slice(0, 8)}`;

    const search = (query: string, token?: string) =>
      store.request<Results>('search', 'GET', `/api/search?${query}`, { token });
    const create = async (
      name: string,
      category: string,
      priceCents: number,
      stock: number,
      description?: string,
    ) => {
      const res = await store.request('products', 'POST', '/api/products', {
        token: employee,
        body: { name, category, priceCents, stock, description },
      });
      expect(res.status).toBe(201);
      return res.body as Product;
    };

    beforeAll(async () => {
      store = await Store.start(topology, { env: { SEARCH_ENGINE: engine } });
      employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
      await create(`${tag} Belgian chocolate bar`, 'pantry', 450, 10, 'Rich cocoa');
      await create(
        `${tag} Hazelnut spread`,
        'pantry',
        390,
        0,
        'Smooth spread with cocoa and chocolate notes',
      );
      await create(`${tag} Chocolate milk`, 'dairy', 199, 5, 'Cold and sweet');
      await create(`${tag} Crème brûlée`, 'frozen', 599, 3, 'Vanilla custard with caramel');
    });

    afterAll(async () => {
      await store?.close();
    });

    it('finds the seeded catalogue (index built on first start from products)', async () => {
      const res = await search('q=milk');
      expect(res.status).toBe(200);
      expect(res.body.items.map((h) => h.name)).toEqual(
        expect.arrayContaining(['Whole milk 1 l', 'Semi-skimmed milk 1 l']),
      );
    });

    it('matches prefixes while typing, words in any order, case-insensitively', async () => {
      const prefix = await search(`q=${tag}%20CHOC`);
      expect(prefix.body.items.map((h) => h.name).sort()).toEqual(
        [`${tag} Belgian chocolate bar`, `${tag} Chocolate milk`, `${tag} Hazelnut spread`].sort(),
      );
      const reordered = await search(`q=bar%20belgian%20${tag}`);
      expect(reordered.body.items.map((h) => h.name)).toEqual([`${tag} Belgian chocolate bar`]);
    });

    it('ignores accents both ways', async () => {
      expect((await search(`q=${tag}%20creme%20brulee`)).body.items.map((h) => h.name)).toEqual([
        `${tag} Crème brûlée`,
      ]);
      expect((await search(`q=${tag}%20Cr%C3%A8me`)).body.items).toHaveLength(1);
    });

    it('finds a word typed with a typo with the memory engine, ranked below exact matches', async () => {
      const names = async (q: string) =>
        (await search(`q=${tag}%20${q}`)).body.items.map((h) => h.name);
      if (engine === 'memory') {
        expect(await names('chocolte')).toEqual(
          expect.arrayContaining([`${tag} Belgian chocolate bar`, `${tag} Chocolate milk`]),
        );
        expect(await names('hazlenut')).toEqual([`${tag} Hazelnut spread`]);
      } else {
        expect(await names('chocolte')).toEqual([]);
      }
      // Four letters allow no typo in either engine.
      expect(await names('mikl')).toEqual([]);
    });

    it('ranks name matches above description-only matches', async () => {
      const res = await search(`q=${tag}%20chocolate`);
      const names = res.body.items.map((h) => h.name);
      expect(names.indexOf(`${tag} Hazelnut spread`)).toBe(names.length - 1);
      expect(res.body.items[0].score).toBeGreaterThan(res.body.items[names.length - 1].score);
    });

    it('filters by category, price range and stock, with facets per category for the query', async () => {
      const all = await search(`q=${tag}%20choc`);
      expect(all.body.facets).toEqual(
        expect.arrayContaining([
          { category: 'pantry', count: 2 },
          { category: 'dairy', count: 1 },
        ]),
      );
      const dairy = await search(`q=${tag}%20choc&category=dairy`);
      expect(dairy.body.items.map((h) => h.category)).toEqual(['dairy']);
      expect(dairy.body.total).toBe(1);
      expect(dairy.body.facets).toEqual(all.body.facets);
      const cheap = await search(`q=${tag}&maxPrice=400`);
      expect(cheap.body.items.every((h) => h.priceCents <= 400)).toBe(true);
      expect(cheap.body.total).toBe(2);
      const available = await search(`q=${tag}&inStock=true`);
      expect(available.body.items.every((h) => h.inStock)).toBe(true);
      expect(available.body.total).toBe(3);
      const range = await search(`q=${tag}&minPrice=400&maxPrice=500`);
      expect(range.body.items.map((h) => h.priceCents)).toEqual([450]);
    });

    it('sorts by price, name and newest; an empty q lists by the chosen sort', async () => {
      const asc = (await search(`q=${tag}&sort=price_asc`)).body.items.map((h) => h.priceCents);
      expect(asc).toEqual([199, 390, 450, 599]);
      const desc = (await search(`q=${tag}&sort=price_desc`)).body.items.map((h) => h.priceCents);
      expect(desc).toEqual([599, 450, 390, 199]);
      const byName = (await search(`q=${tag}&sort=name`)).body.items.map((h) =>
        h.name.toLowerCase(),
      );
      expect(byName).toEqual([...byName].sort());
      const newest = (await search(`q=${tag}&sort=newest`)).body.items[0].name;
      expect(newest).toBe(`${tag} Crème brûlée`);
      const noQuery = await search('category=frozen&sort=price_asc&limit=100');
      const prices = noQuery.body.items.map((h) => h.priceCents);
      expect(noQuery.body.items.length).toBeGreaterThan(3);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    });

    it('pages with a stable total', async () => {
      const first = await search(`q=${tag}&sort=name&limit=3&page=1`);
      const second = await search(`q=${tag}&sort=name&limit=3&page=2`);
      expect(first.body.total).toBe(4);
      expect(second.body.total).toBe(4);
      expect(first.body.items).toHaveLength(3);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[2].id);
    });

    it.each([
      ['quotes', '"chocolate'],
      ['FTS operators', 'chocolate OR NEAR(milk) NOT bar*'],
      ['column filters', 'name:chocolate'],
      ['SQL wildcards', '%_%'],
      ['SQL injection', "x' OR 1=1; DROP TABLE search_product; --"],
      ['parentheses and carets', ')(^*-'],
      ['unicode', '🍫 шоколад'],
    ])('treats %s as plain text, never a 5xx', async (_label, q) => {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.items)).toBe(true);
    });

    it('refuses a query longer than 200 characters with 400 naming q', async () => {
      const res = await search(`q=${'a'.repeat(201)}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('"field":"q"');
      expect((await search(`q=${'a'.repeat(200)}`)).status).toBe(200);
    });

    it('carries lastModifiedBy / lastModifiedAt from the audit log', async () => {
      const res = await search(`q=${tag}%20belgian`);
      expect(res.body.metadataComplete).toBe(true);
      expect(res.body.items[0].lastModifiedBy).toBe(DEMO.employee.username);
      expect(Date.parse(res.body.items[0].lastModifiedAt as string)).toBeGreaterThan(
        Date.now() - 120_000,
      );
    });

    it('reflects an edit as soon as the edit returns (well within 1 s)', async () => {
      const product = await create(`${tag} Plain yogurt`, 'dairy', 150, 4);
      const edit = await store.request('products', 'PATCH', `/api/products/${product.id}`, {
        token: employee,
        body: { name: `${tag} Mango yogurt`, priceCents: 175 },
      });
      expect(edit.status).toBe(200);
      const res = await search(`q=${tag}%20mang`);
      expect(res.body.items.map((h) => [h.name, h.priceCents])).toEqual([
        [`${tag} Mango yogurt`, 175],
      ]);
      await store.request('products', 'DELETE', `/api/products/${product.id}`, { token: employee });
      expect((await search(`q=${tag}%20mang`)).body.total).toBe(0);
    });

    it('records each signed-in search as an audit event with the caller as actor, and no anonymous one', async () => {
      const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
      const searchEvents = async () =>
        (
          await store.request('logging', 'GET', '/api/logs?type=search&limit=1', {
            token: employee,
          })
        ).body.total as number;
      const before = await searchEvents();
      expect((await search(`q=${encodeURIComponent(`${tag} anonymous`)}`)).status).toBe(200);
      const q = `${tag} audit probe`;
      expect((await search(`q=${encodeURIComponent(q)}`, customer.accessToken)).status).toBe(200);
      const deadline = Date.now() + 5000;
      let found: Array<{ actor: { username: string } | null; payload: { q: string } }> = [];
      while (found.length === 0 && Date.now() < deadline) {
        const log = await store.request('logging', 'GET', '/api/logs?type=search&limit=100', {
          token: employee,
        });
        found = (log.body.items as typeof found).filter((e) => e.payload.q === q);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toHaveLength(1);
      expect(found[0].actor?.username).toBe(DEMO.customer.username);
      // The signed-in search has arrived; the anonymous one before it was never recorded.
      expect(await searchEvents()).toBe(before + 1);
      expect((await search('q=x', 'not-a-token')).status).toBe(401);
    });

    it('reindex: employees only; runs in the background with its progress, and rebuilds from products', async () => {
      const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
      for (const method of ['POST', 'GET'] as const) {
        const asCustomer = await store.request('search', method, '/api/search/reindex', {
          token: customer.accessToken,
        });
        expect(asCustomer.status).toBe(403);
        expect((await store.request('search', method, '/api/search/reindex')).status).toBe(401);
      }
      const res = await store.request('search', 'POST', '/api/search/reindex', { token: employee });
      expect(res.status).toBe(202);
      expect(res.body.state).toBe('running');
      const job = await eventually(async () => {
        const status = await store.request<ReindexJob>('search', 'GET', '/api/search/reindex', {
          token: employee,
        });
        expect(status.status).toBe(200);
        expect(['running', 'done']).toContain(status.body.state);
        return status.body.state === 'done' && status.body;
      }, 'the rebuild to finish');
      expect(job.read).toBeGreaterThanOrEqual(55);
      // A finished rebuild has both times (NaN, from a missing one, fails the comparison).
      expect(Date.parse(job.finishedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(job.startedAt ?? ''),
      );
      expect((await search(`q=${tag}`)).body.total).toBe(4);
    });
  },
);
