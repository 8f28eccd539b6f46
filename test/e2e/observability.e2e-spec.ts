import { randomUUID } from 'node:crypto';
import { DEMO, login, newCustomer } from '../support/accounts';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { eventually } from '../support/platform';
import { Sample, names, parseMetrics, total } from '../support/prometheus';
import { MODULES, Module, Store, TOPOLOGIES } from '../support/store';

/**
 * What an operator sees of one order: its trace (OpenTelemetry, exported over OTLP to a receiver
 * in this test), the Prometheus series of every module, and the store's status in one answer.
 */

const METRICS_TOKEN = 'scrape-token-for-the-tests';
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;

describe.each(TOPOLOGIES)('observability (%s)', (topology) => {
  let receiver: OtlpReceiver;
  let store: Store;
  let orderId: string;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    store = await Store.start(topology, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        // Export finished spans every 100 ms instead of every 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        METRICS_TOKEN,
      },
    });
    const employee = (await login(store, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
    const product = await store.request('products', 'POST', '/api/products', {
      token: employee,
      body: {
        name: `Traced tea ${randomUUID()}`,
        category: 'beverages',
        priceCents: 450,
        stock: 10,
      },
    });
    expect(product.status).toBe(201);
    const customer = await newCustomer(store);
    const wrong = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: DEMO.customer.username, password: 'Not-The-Password-1' },
    });
    expect(wrong.status).toBe(401);
    expect((await store.request('search', 'GET', '/api/search?q=tea')).status).toBe(200);
    const order = await store.request('orders', 'POST', '/api/orders', {
      token: customer.accessToken,
      body: { items: [{ productId: product.body.id, quantity: 2 }] },
    });
    expect(order.status).toBe(201);
    orderId = order.body.id;
  });

  afterAll(async () => {
    await store?.close();
    await receiver?.close();
  });

  const processOf = (module: Module) => `mfm-${store.processOf(module)}`;

  it('one POST /api/orders is one trace: the HTTP route, the token check, pricing, the reservation and the audit delivery, each where it belongs', async () => {
    const spans = await eventually(
      () => {
        const root = receiver.spans.find(
          (s) =>
            s.kind === SERVER && s.attributes['http.route'] === '/api/orders' && !s.parentSpanId,
        );
        if (!root) return undefined;
        const trace = receiver.trace(root.traceId);
        const received = trace.some(
          (s) => s.kind === SERVER && /^logging\.record(_batch)?$/.test(s.name),
        );
        // Spans are exported as they end: a child (the mail's contact lookup, say) can arrive
        // before its parent, the delivery that goes on in the background after the answer.
        const ids = new Set(trace.map((s) => s.spanId));
        const whole = trace.every((s) => s === root || (s.parentSpanId && ids.has(s.parentSpanId)));
        return received && whole && trace;
      },
      'the order trace with its audit delivery, every span with its parent',
      20_000,
    );

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
      const chain: ReceivedSpan[] = [];
      for (let p = span.parentSpanId; p && byId.has(p); p = byId.get(p)?.parentSpanId)
        chain.push(byId.get(p) as ReceivedSpan);
      return chain;
    };
    // One root: the orders process's HTTP server span; every other span descends from it.
    const roots = spans.filter((s) => !s.parentSpanId || !byId.has(s.parentSpanId));
    expect(roots).toHaveLength(1);
    const [root] = roots;
    expect(root).toMatchObject({ kind: SERVER, service: processOf('orders') });
    for (const span of spans) if (span !== root) expect(ancestors(span)).toContain(root);

    const one = (name: string, kind: number) => {
      const found = spans.filter((s) => s.name === name && s.kind === kind);
      expect({ name, kind, count: found.length }).toEqual({ name, kind, count: 1 });
      return found[0];
    };
    for (const [pattern, owner] of [
      ['users.verify_token', 'users'],
      ['products.get_many', 'products'],
      ['products.reserve_stock', 'products'],
    ] as const) {
      const client = one(pattern, CLIENT);
      const server = one(pattern, SERVER);
      expect(client.service).toBe(processOf('orders'));
      // The far end of the call is a child of the call, in the process that owns the pattern.
      expect(server.parentSpanId).toBe(client.spanId);
      expect(server.service).toBe(processOf(owner));
    }
    // The audit event goes out through the outbox: a delivery span in the request's trace,
    // linked to the change that wrote it, and the log's handler below it.
    const delivery = spans.find(
      (s) => s.kind === PRODUCER && /^outbox deliver logging\.record$/.test(s.name),
    ) as ReceivedSpan;
    expect(delivery).toBeDefined();
    expect(delivery.service).toBe(processOf('orders'));
    expect(delivery.links.length).toBeGreaterThan(0);
    for (const link of delivery.links) expect(link.traceId).toBe(root.traceId);
    const recorded = spans.find(
      (s) => s.kind === SERVER && /^logging\.record(_batch)?$/.test(s.name),
    ) as ReceivedSpan;
    expect(recorded.service).toBe(processOf('logging'));
    expect(ancestors(recorded)).toContain(delivery);

    // Log lines carry the trace: the reservation's line in the products process names it.
    const line = await eventually(
      () =>
        store
          .logLines(store.processOf('products'))
          .find((l) => l.msg === 'rpc products.reserve_stock ok' && l.trace_id === root.traceId),
      'the reservation log line with its trace id',
    );
    expect(line.span_id).toBe(one('products.reserve_stock', SERVER).spanId);
  });

  it("each module's /metrics shows the order flow's series", async () => {
    const scrape = async (module: Module): Promise<Sample[]> => {
      const res = await store.request(module, 'GET', '/metrics', { token: METRICS_TOKEN });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseMetrics(res.text);
    };
    const m = Object.fromEntries(
      await Promise.all(MODULES.map(async (module) => [module, await scrape(module)] as const)),
    ) as Record<Module, Sample[]>;

    // orders: the route, the saga, the calls it made, its outbox, its database.
    expect(
      total(m.orders, 'http_requests_total', {
        route: '/api/orders',
        method: 'POST',
        status: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(m.orders, 'http_request_duration_seconds_count', { route: '/api/orders' }),
    ).toBeGreaterThanOrEqual(1);
    expect(total(m.orders, 'orders_saga_outcomes_total', { outcome: 'confirmed' })).toBe(1);
    expect(total(m.orders, 'orders_confirmed_total_cents_count')).toBe(1);
    expect(total(m.orders, 'orders_confirmed_total_cents_sum')).toBe(900);
    for (const pattern of ['products.get_many', 'products.reserve_stock'])
      expect(
        total(m.orders, 'rpc_client_duration_seconds_count', {
          peer: 'products',
          pattern,
          outcome: 'ok',
        }),
      ).toBeGreaterThanOrEqual(1);
    expect(
      total(m.orders, 'outbox_delivery_attempts_total', {
        module: 'orders',
        target: 'logging',
        outcome: 'delivered',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      m.orders.some((s) => s.name === 'outbox_backlog_messages' && s.labels.module === 'orders'),
    ).toBe(true);
    expect(m.orders.some((s) => s.name === 'outbox_oldest_message_age_seconds')).toBe(true);
    expect(
      total(m.orders, 'db_query_duration_seconds_count', { module: 'orders' }),
    ).toBeGreaterThan(0);
    expect(total(m.orders, 'storage_writable', { module: 'orders' })).toBe(1);
    expect(
      m.orders.some(
        (s) => s.name === 'rpc_circuit_state' && s.labels.pattern === 'products.reserve_stock',
      ),
    ).toBe(true);

    // products: the handlers it ran and the reservation.
    expect(
      total(m.products, 'rpc_server_duration_seconds_count', {
        pattern: 'products.reserve_stock',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(total(m.products, 'stock_reservations_total', { outcome: 'reserved' })).toBe(1);

    // users: the logins, right and wrong, and the token checks it answered.
    expect(total(m.users, 'auth_logins_total', { outcome: 'success' })).toBeGreaterThanOrEqual(2);
    expect(total(m.users, 'auth_logins_total', { outcome: 'failure' })).toBeGreaterThanOrEqual(1);
    expect(
      total(m.users, 'rpc_server_duration_seconds_count', { pattern: 'users.verify_token' }),
    ).toBeGreaterThanOrEqual(1);

    // logging: the events it stored; search: the query and the stock change it applied.
    expect(
      total(m.logging, 'audit_events_received_total', { result: 'stored' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(m.search, 'http_requests_total', { route: '/api/search', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    // The stock change reaches search through products' outbox, after the order's answer: the
    // first scrape may come before it.
    const applied = (samples: Sample[]) =>
      total(samples, 'rpc_server_duration_seconds_count', { outcome: 'ok' }) -
      total(samples, 'rpc_server_duration_seconds_count', { pattern: 'search.status' }) -
      total(samples, 'rpc_server_duration_seconds_count', { pattern: 'search.ping' });
    let search = m.search;
    await eventually(
      async () => {
        if (applied(search) >= 1) return true;
        search = await scrape('search');
        return applied(search) >= 1;
      },
      'search applying the stock change',
      15_000,
    );
    expect(applied(search)).toBeGreaterThanOrEqual(1);

    // Node's own, in every process.
    for (const module of MODULES) {
      const present = names(m[module]);
      for (const name of [
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
        'process_cpu_seconds_total',
      ])
        expect({ module, name, present: present.has(name) }).toEqual({
          module,
          name,
          present: true,
        });
      expect(m[module].every((s) => s.labels.process === store.processOf(module))).toBe(true);
    }
  });

  it('/metrics answers only the bearer token when METRICS_TOKEN is set', async () => {
    const none = await store.request('orders', 'GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    const wrong = await store.request('orders', 'GET', '/metrics', { token: `${METRICS_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('http_requests_total');
  });

  it('GET /api/status names every module with its readiness, version and circuit breakers', async () => {
    const res = await store.request('users', 'GET', '/api/status');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.modules.map((m: { module: string }) => m.module)).toEqual([...MODULES]);
    for (const module of res.body.modules) {
      expect(module).toMatchObject({
        status: 'up',
        version: res.body.version,
        process: store.processOf(module.module),
        checks: { database: 'up', storage: 'up', draining: false },
      });
    }
    const orders = res.body.modules.find((m: { module: string }) => m.module === 'orders');
    expect(orders.circuits.products).toMatchObject({ 'products.reserve_stock': 'closed' });
    expect(orderId).toBeDefined();
  });
});
