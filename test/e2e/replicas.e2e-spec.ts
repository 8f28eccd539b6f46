import { randomUUID } from 'node:crypto';
import { DEMO } from '../support/accounts';
import type { Product } from '../support/api-types';
import { Launched, eventually } from '../support/platform';
import { POSTGRES_BASE } from '../support/postgres';
import { parseMetrics, total } from '../support/prometheus';
import { ReplicaSet } from '../support/replicas';
import { runEntrypoint } from '../support/launcher';
import { HttpResult, MODULES, Module } from '../support/store';

/**
 * Two replicas of every module on PostgreSQL, as real processes behind the repository's gateway,
 * peers reached through `<MODULE>_TCP_ADDRESSES`: an oversell race, one Idempotency-Key sent to
 * both orders replicas, search caches on both search replicas, and a kill -9 of one replica of
 * every module in the middle of an order loop. Nothing may be sold twice, lost, delivered twice
 * or recorded twice. On SQLite (no E2E_DATABASE_URL_BASE) a module has one process per file:
 * that is what runs instead.
 */

if (!POSTGRES_BASE) {
  describe('replicas on SQLite: one process per module and file', () => {
    let first: Launched;
    afterAll(async () => first?.close());

    it.each(['users', 'orders'] as const)(
      'a second %s process on the same data folder is refused with exit 2, naming the module',
      async (module) => {
        first = await Launched.start(['--service', module]);
        const second = await runEntrypoint(['--service', module], {
          NODE_ENV: 'test',
          DATA_DIR: first.dataDir,
          BIND_HOST: '127.0.0.1',
        });
        expect(second.code).toBe(2);
        expect(second.output).toContain(`the ${module} module is already running on this folder`);
        await first.close();
      },
    );
  });
} else {
  describe('two replicas of every module on PostgreSQL behind the gateway', () => {
    let set: ReplicaSet;
    let employee: string;
    const customers: string[] = [];
    /** Every order key sent, with the order id it finally got (201), for the final checks. */
    const settled = new Map<string, { orderId?: string; status: number }>();

    beforeAll(async () => {
      set = await ReplicaSet.start(2, {
        // A claim of a killed replica runs out quickly, and nothing throttles the test's load.
        OUTBOX_LEASE_MS: '3000',
        RATE_LIMIT_ORDERS: '100000/60',
        RATE_LIMIT_REGISTER: '100000/60',
      });
      const res = await set.request('gateway', 'POST', '/api/auth/login', {
        body: { username: DEMO.employee.username, password: DEMO.employee.password },
      });
      expect(res.status).toBe(200);
      employee = res.body.accessToken;
      for (let i = 0; i < 20; i++) {
        const username = `replica_${randomUUID().slice(0, 8)}`;
        const password = 'Groceries-4-All';
        const reg = await set.request('gateway', 'POST', '/api/auth/register', {
          body: {
            firstName: 'Twin',
            lastName: 'Buyer',
            username,
            email: `${username}@example.com`,
            password,
          },
        });
        expect(reg.status).toBe(201);
        const session = await set.request('gateway', 'POST', '/api/auth/login', {
          body: { username, password },
        });
        expect(session.status).toBe(200);
        customers.push(session.body.accessToken);
      }
    }, 240_000);

    afterAll(async () => {
      await set?.close();
    }, 60_000);

    const newProduct = async (stock: number, priceCents = 250) => {
      const res = await set.request('gateway', 'POST', '/api/products', {
        token: employee,
        body: { name: `Twin ${randomUUID()}`, category: 'pantry', priceCents, stock },
      });
      expect(res.status).toBe(201);
      return res.body as Product;
    };

    /**
     * Places an order and, like a careful client, repeats it with the same key while the answer
     * says "try again" (503, 409 IDEMPOTENCY_IN_PROGRESS) or no answer came (a replica died).
     */
    async function placeUntilSettled(
      token: string,
      productId: string,
      quantity: number,
      key = randomUUID(),
      target: 'gateway' | { module: Module; index: number } = 'gateway',
    ): Promise<HttpResult> {
      const deadline = Date.now() + 90_000;
      for (;;) {
        let res: HttpResult | undefined;
        try {
          res = await set.request(target, 'POST', '/api/orders', {
            token,
            body: { items: [{ productId, quantity }] },
            headers: { 'idempotency-key': key },
          });
        } catch {
          res = undefined;
        }
        const again =
          !res ||
          res.status === 503 ||
          (res.status === 409 && res.body.code === 'IDEMPOTENCY_IN_PROGRESS');
        if (res && !again) {
          expect({ key, status: res.status }).toEqual({ key, status: expect.any(Number) });
          expect(res.status).not.toBeGreaterThanOrEqual(500);
          settled.set(key, {
            status: res.status,
            orderId: res.status === 201 ? res.body.id : undefined,
          });
          return res;
        }
        if (Date.now() > deadline)
          throw new Error(`order ${key} never settled: ${res?.status} ${res?.text}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    const duplicatesReceived = async () => {
      let sum = 0;
      for (const index of [0, 1]) {
        const res = await set.request({ module: 'logging', index }, 'GET', '/metrics');
        sum += total(parseMetrics(res.text), 'audit_events_received_total', {
          result: 'duplicate',
        });
      }
      return sum;
    };

    it('200 buyers for 10 units across both orders replicas: exactly 10 orders, stock 0', async () => {
      const item = await newProduct(10);
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          placeUntilSettled(customers[i % customers.length], item.id, 1),
        ),
      );
      const statuses = answers.map((a) =>
        a.status === 409 ? `409 ${a.body.code}` : String(a.status),
      );
      expect(statuses.filter((s) => s === '201')).toHaveLength(10);
      expect(statuses.filter((s) => s === '409 INSUFFICIENT_STOCK')).toHaveLength(190);
      const product = await set.request('gateway', 'GET', `/api/products/${item.id}`);
      expect(product.body.stock).toBe(0);
      const [row] = await set.query<{ n: number }>(
        'orders',
        `SELECT COUNT(*)::int AS n FROM customer_order WHERE status = 'CONFIRMED' AND requested::text LIKE $1`,
        [`%${item.id}%`],
      );
      expect(row.n).toBe(10);
    });

    it('one Idempotency-Key sent to both orders replicas at once: one order, the same answer twice', async () => {
      const item = await newProduct(100);
      for (let i = 0; i < 10; i++) {
        const key = randomUUID();
        const token = customers[i];
        const [a, b] = await Promise.all([
          placeUntilSettled(token, item.id, 2, key, { module: 'orders', index: 0 }),
          placeUntilSettled(token, item.id, 2, key, { module: 'orders', index: 1 }),
        ]);
        expect([a.status, b.status]).toEqual([201, 201]);
        expect(b.body.id).toBe(a.body.id);
      }
      const product = await set.request('gateway', 'GET', `/api/products/${item.id}`);
      expect(product.body.stock).toBe(100 - 10 * 2);
      // No replica delivered a message another had delivered: the log never saw a repeat.
      expect(await duplicatesReceived()).toBe(0);
    });

    it('one refresh token sent to both users replicas at once: one rotation, the other is a reuse that ends the session', async () => {
      for (let i = 0; i < 12; i++) {
        const login = await set.request('gateway', 'POST', '/api/auth/login', {
          body: { username: DEMO.customer.username, password: DEMO.customer.password },
        });
        expect(login.status).toBe(200);
        const answers = await Promise.all(
          [0, 1].map((index) =>
            set.request({ module: 'users', index }, 'POST', '/api/auth/refresh', {
              body: { refreshToken: login.body.refreshToken },
            }),
          ),
        );
        const outcomes = answers
          .map((a) => (a.status === 200 ? '200' : `${a.status} ${a.body.code}`))
          .sort();
        expect(outcomes).toEqual(['200', '401 REFRESH_TOKEN_REUSED']);
        // The reuse revoked the session, so the winner's successor token is refused as well.
        const winner = answers.find((a) => a.status === 200) as HttpResult;
        const next = await set.request('gateway', 'POST', '/api/auth/refresh', {
          body: { refreshToken: winner.body.refreshToken },
        });
        expect(next.status).toBe(401);
      }
    });

    it('a change applied by one search replica is never hidden by the other replica’s result cache', async () => {
      const item = await newProduct(5, 300);
      const search = (index: number) =>
        set.request(
          { module: 'search', index },
          'GET',
          `/api/search?q=${encodeURIComponent(item.name)}`,
        );
      for (const priceCents of [310, 320, 330]) {
        // Both replicas answer (and cache) the current price.
        for (const index of [0, 1])
          expect((await search(index)).body.items[0]?.priceCents).toBe(priceCents - 10);
        const edit = await set.request('gateway', 'PATCH', `/api/products/${item.id}`, {
          token: employee,
          body: { priceCents },
        });
        expect(edit.status).toBe(200);
        // Applied by one of the two (whichever claimed the message): then both must show it.
        await eventually(
          async () => {
            const [row] = await set.query<{ priceCents: number }>(
              'search',
              'SELECT "priceCents" FROM search_product WHERE id = $1',
              [item.id],
            );
            return row?.priceCents === priceCents;
          },
          'the search index to apply the edit',
          10_000,
        );
        for (const index of [0, 1])
          expect((await search(index)).body.items[0]?.priceCents).toBe(priceCents);
      }
    });

    it('both search replicas hold the same index after a burst of edits applied by either', async () => {
      const tag = `burst${randomUUID().slice(0, 8)}`;
      const made: Product[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await set.request('gateway', 'POST', '/api/products', {
          token: employee,
          body: { name: `${tag} item ${i}`, category: 'pantry', priceCents: 200 + i, stock: 5 },
        });
        expect(res.status).toBe(201);
        made.push(res.body as Product);
      }
      // Renames, prices, categories and an archive, all at once, spread over both replicas.
      const edits = made.flatMap((item, i) => [
        { id: item.id, body: { priceCents: 500 - i } },
        {
          id: item.id,
          body: { name: `${tag} renamed ${i}`, category: i % 2 ? 'snacks' : 'pantry' },
        },
        { id: item.id, body: { stock: i % 3 } },
      ]);
      const answers = await Promise.all(
        edits.map(async ({ id, body }) => {
          for (;;) {
            const current = await set.request('gateway', 'GET', `/api/products/${id}`);
            const res = await set.request('gateway', 'PATCH', `/api/products/${id}`, {
              token: employee,
              body: { ...body, version: current.body.version },
            });
            if (res.status !== 409) return res.status;
          }
        }),
      );
      expect(answers.every((status) => status === 200)).toBe(true);
      const archived = await set.request('gateway', 'DELETE', `/api/products/${made[5].id}`, {
        token: employee,
      });
      expect([200, 204]).toContain(archived.status);
      const revisions = new Map(
        (
          await set.query<{ id: string; revision: number }>(
            'products',
            'SELECT id, revision FROM product WHERE id = ANY($1)',
            [made.map((m) => m.id)],
          )
        ).map((r) => [r.id, r.revision]),
      );
      await eventually(
        async () => {
          const rows = await set.query<{ id: string; revision: number }>(
            'search',
            'SELECT id, revision FROM search_product WHERE id = ANY($1)',
            [made.map((m) => m.id)],
          );
          return rows.length === 6 && rows.every((r) => revisions.get(r.id) === r.revision);
        },
        'the search index to apply every edit',
        15_000,
      );
      const views = ['', '&sort=price_asc', '&sort=name&inStock=true', '&category=snacks'];
      const answer = async (index: number, view: string) => {
        const res = await set.request(
          { module: 'search', index },
          'GET',
          `/api/search?q=${tag}${view}`,
        );
        expect(res.status).toBe(200);
        const { items, total, facets } = res.body as {
          items: Array<{ id: string; name: string; priceCents: number; stock: number }>;
          total: number;
          facets: unknown;
        };
        return { items: items.map((h) => [h.id, h.name, h.priceCents, h.stock]), total, facets };
      };
      for (const view of views) expect(await answer(1, view)).toEqual(await answer(0, view));
      // And what they agree on is the catalogue after the burst.
      const all = await answer(0, '&sort=name');
      expect(all.total).toBe(5);
      expect(all.items.map(([, name]) => name)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `${tag} renamed ${i}`),
      );
      expect(all.items.map(([, , price]) => price)).toEqual([500, 499, 498, 497, 496]);
      for (const index of [0, 1]) {
        const old = await set.request(
          { module: 'search', index },
          'GET',
          `/api/search?q=${tag}%20item`,
        );
        expect(old.body.total).toBe(0);
      }
    });

    it('kill -9 of one replica of every module mid-load: no order lost or doubled, every message delivered and applied once', async () => {
      const item = await newProduct(1000, 199);
      const churn = await newProduct(50, 500);
      let placed = 0;
      let killed: Promise<void> | undefined;
      const shopper = async (c: number) => {
        for (let i = 0; i < 12; i++) {
          await placeUntilSettled(customers[c], item.id, 1 + (i % 3));
          placed++;
          if (placed === 12 && !killed)
            killed = Promise.all(MODULES.map((module) => set.kill(module, 1))).then(
              () => undefined,
            );
        }
      };
      const editor = async () => {
        for (let i = 0; i < 8; i++) {
          const res = await set
            .request('gateway', 'PATCH', `/api/products/${churn.id}`, {
              token: employee,
              body: { priceCents: 500 + i },
            })
            .catch(() => undefined);
          expect([200, 503, undefined]).toContain(res?.status);
          await new Promise((r) => setTimeout(r, 150));
        }
      };
      await Promise.all([shopper(0), shopper(1), shopper(2), shopper(3), editor()]);
      await killed;

      // Every outbox drained by the survivors (what the dead replicas had claimed included).
      await eventually(
        async () => {
          for (const module of ['users', 'products', 'search', 'orders'] as const) {
            const [row] = await set.query<{ n: number }>(
              module,
              'SELECT COUNT(*)::int AS n FROM outbox_message WHERE "deliveredAt" IS NULL',
            );
            if (row.n > 0) return false;
          }
          return true;
        },
        'every outbox to drain',
        60_000,
      );

      // 0 lost orders: every key that got 201 has its order, confirmed, and nothing else is confirmed.
      const confirmed = await set.query<{ id: string; totalCents: number }>(
        'orders',
        `SELECT id, "totalCents" FROM customer_order WHERE status = 'CONFIRMED'`,
      );
      const granted = new Set([...settled.values()].flatMap((s) => (s.orderId ? [s.orderId] : [])));
      expect(confirmed.map((o) => o.id).sort()).toEqual([...granted].sort());
      // Stock moved exactly once per confirmed order (no double reservation, no double release).
      const ofItem = await set.query<{ quantity: number }>(
        'products',
        `SELECT quantity FROM stock_reservation WHERE "productId" = $1 AND "releasedAt" IS NULL`,
        [item.id],
      );
      const [stock] = await set.query<{ stock: number }>(
        'products',
        'SELECT stock FROM product WHERE id = $1',
        [item.id],
      );
      expect(stock.stock).toBe(1000 - ofItem.reduce((sum, r) => sum + r.quantity, 0));
      const itemOrders = await set.query<{ id: string }>(
        'orders',
        `SELECT id FROM customer_order WHERE status = 'CONFIRMED' AND requested::text LIKE $1`,
        [`%${item.id}%`],
      );
      const held = await set.query<{ reservationId: string }>(
        'products',
        `SELECT DISTINCT "reservationId" FROM stock_reservation WHERE "productId" = $1 AND "releasedAt" IS NULL`,
        [item.id],
      );
      expect(held.map((r) => r.reservationId).sort()).toEqual(itemOrders.map((o) => o.id).sort());

      // Every confirmed order has exactly one order_placed event.
      const placedEvents = await set.query<{ subjectId: string; n: number }>(
        'logging',
        `SELECT "subjectId", COUNT(*)::int AS n FROM audit_event WHERE type = 'order_placed' GROUP BY "subjectId"`,
      );
      expect(placedEvents.map((e) => e.subjectId).sort()).toEqual(
        confirmed.map((o) => o.id).sort(),
      );
      expect(placedEvents.every((e) => e.n === 1)).toBe(true);

      // 0 duplicate audit events: exactly one stored event per audit message any replica sent.
      const sent = new Set<string>();
      for (const module of ['users', 'products', 'search', 'orders'] as const)
        for (const row of await set.query<{ messageId: string }>(
          module,
          `SELECT "messageId" FROM outbox_message WHERE target = 'logging'`,
        ))
          sent.add(row.messageId);
      const stored = await set.query<{ eventId: string }>(
        'logging',
        'SELECT "eventId" FROM audit_event',
      );
      expect(stored.length).toBe(sent.size);
      expect(new Set(stored.map((e) => e.eventId))).toEqual(sent);

      // Product changes applied once and in full: the index holds each product's last revision.
      const products = await set.query<{ id: string; revision: number }>(
        'products',
        'SELECT id, revision FROM product',
      );
      const indexed = new Map(
        (
          await set.query<{ id: string; revision: number }>(
            'search',
            'SELECT id, revision FROM search_product',
          )
        ).map((r) => [r.id, r.revision]),
      );
      for (const p of products) expect({ id: p.id, revision: indexed.get(p.id) }).toEqual(p);
    });
  });
}
