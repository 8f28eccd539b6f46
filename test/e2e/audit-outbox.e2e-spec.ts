import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import type { AuditEvent, AuditEventPage } from '../support/api-types';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

async function eventsFor(store: Store, token: string, productId: string): Promise<AuditEvent[]> {
  const res = await store.request<AuditEventPage>(
    'logging',
    'GET',
    '/api/logs?limit=100&type=product_updated',
    { token },
  );
  const created = await store.request<AuditEventPage>(
    'logging',
    'GET',
    '/api/logs?limit=100&type=product_created',
    { token },
  );
  if (res.status !== 200 || created.status !== 200) return [];
  return [...created.body.items, ...res.body.items].filter((e) => e.subject.id === productId);
}

async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}

describe.each(BEHAVIOUR_TOPOLOGIES)('audit events of product changes (%s)', (topology) => {
  let store: Store;
  let employee: string;

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  it('are readable right after the change returns (read-your-writes), with old and new values', async () => {
    const created = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Audit me ${randomUUID()}`, category: 'snacks', priceCents: 250, stock: 4 },
    });
    const id = created.body.id as string;
    await store.request('products', 'PATCH', `/api/products/${id}`, {
      token: employee,
      body: { priceCents: 275 },
    });
    const events = await eventsFor(store, employee, id);
    expect(events.map((e) => e.type)).toEqual(['product_created', 'product_updated']);
    expect(events[1]).toMatchObject({
      actor: { username: DEMO.employee.username },
      subject: { kind: 'product', id },
      payload: { changes: { priceCents: { from: 250, to: 275 } } },
    });
  });

  it('a failed change records nothing', async () => {
    const res = await store.request('products', 'PATCH', `/api/products/${randomUUID()}`, {
      token: employee,
      body: { priceCents: 1 },
    });
    expect(res.status).toBe(404);
    const name = `Dup ${randomUUID()}`;
    await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name, category: 'snacks', priceCents: 1, stock: 1 },
    });
    const dup = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name, category: 'snacks', priceCents: 1, stock: 1 },
    });
    expect(dup.status).toBe(409);
    const all = await store.request<AuditEventPage>(
      'logging',
      'GET',
      '/api/logs?limit=100&type=product_created',
      { token: employee },
    );
    expect(all.body.items.filter((e) => e.subject.name === name)).toHaveLength(1);
  });
});

describe('audit events survive a logging outage and a crash (split)', () => {
  let store: Store;
  let employee: string;

  beforeAll(async () => {
    store = await Store.start('split');
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  it('edits succeed while logging is down; every event arrives exactly once, in order, after it returns', async () => {
    await store.stop('logging');
    const created = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Outage ${randomUUID()}`, category: 'frozen', priceCents: 100, stock: 1 },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const priceCents of [101, 102, 103]) {
      const res = await store.request('products', 'PATCH', `/api/products/${id}`, {
        token: employee,
        body: { priceCents },
      });
      expect(res.status).toBe(200);
    }
    await store.restart('logging');
    const events = await eventually(
      () => eventsFor(store, employee, id),
      (e) => e.length >= 4,
    );
    expect(events.map((e) => e.type)).toEqual([
      'product_created',
      'product_updated',
      'product_updated',
      'product_updated',
    ]);
    expect(
      events
        .slice(1)
        .map((e) => (e.payload?.changes as { priceCents: { to: number } }).priceCents.to),
    ).toEqual([101, 102, 103]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
  });

  it('an event committed just before a kill -9 of products is delivered after the restart', async () => {
    const created = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: { name: `Crash ${randomUUID()}`, category: 'frozen', priceCents: 100, stock: 1 },
    });
    const id = created.body.id as string;
    await store.stop('logging');
    const edit = await store.request('products', 'PATCH', `/api/products/${id}`, {
      token: employee,
      body: { stock: 42 },
    });
    expect(edit.status).toBe(200);
    await store.stop('products', 'SIGKILL');
    await store.restart('logging');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await eventsFor(store, employee, id)).map((e) => e.type)).toEqual(['product_created']);
    await store.restart('products');
    const events = await eventually(
      () => eventsFor(store, employee, id),
      (e) => e.length >= 2,
    );
    expect(events.map((e) => e.type)).toEqual(['product_created', 'product_updated']);
    expect(events[1].payload).toMatchObject({ changes: { stock: { from: 1, to: 42 } } });
  });
});
