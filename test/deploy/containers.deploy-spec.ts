import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStoreClient } from '@mfm/client';
import { DEMO } from '../support/accounts';
import type { AuditEventPage } from '../support/api-types';
import { freePorts } from '../support/free-port';
import { ROOT } from './compose';

/**
 * docker/Dockerfile built by a real engine (podman, through scripts/containers.sh, which builds
 * the image once and reuses its cached layers) and the store run from it: one container hosting
 * all five modules. Building and running images is heavy, so this suite runs only when asked.
 */

const ENABLED = process.env.CONTAINERS === '1';
const SCRIPT = join(ROOT, 'scripts', 'containers.sh');
const GRACE_SECONDS = 30;

const script = (args: string[], timeout = 120_000): SpawnSyncReturns<string> =>
  spawnSync(SCRIPT, args, { cwd: ROOT, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });

/** podman with the script's engine settings; throws with its stderr when it fails. */
const engine = (...args: string[]): string => {
  const run = script(['engine', ...args]);
  if (run.status !== 0)
    throw new Error(`podman ${args.join(' ')} → ${run.status}\n${run.stderr}${run.stdout}`);
  return run.stdout.trim();
};

/** A shell command inside the running container, as the image's user. */
const inside = (container: string, command: string): { status: number | null; out: string } => {
  const run = script(['engine', 'exec', container, 'sh', '-c', command]);
  return { status: run.status, out: (run.stdout + run.stderr).trim() };
};

/**
 * Runs the image's HEALTHCHECK until the container is healthy (no systemd here to run podman's
 * health timer, so the check is run as the timer would); its logs when it never is.
 */
const healthOf = async (container: string): Promise<{ status: string; logs: string }> => {
  const deadline = Date.now() + 90_000;
  let status = '';
  while (status !== 'healthy' && Date.now() < deadline) {
    script(['engine', 'healthcheck', 'run', container]);
    status = engine('inspect', '--format', '{{.State.Health.Status}}', container);
    if (status !== 'healthy') await new Promise((r) => setTimeout(r, 1000));
  }
  return { status, logs: status === 'healthy' ? '' : engine('logs', container) };
};

let built: string | undefined;
/** Builds the image once per run (the script reuses its cached layers); returns its name. */
const imageBuilt = (): string => {
  if (built) return built;
  const run = script(['build'], 30 * 60_000);
  if (run.status !== 0) throw new Error(`scripts/containers.sh build failed:\n${run.stderr}`);
  built = script(['image']).stdout.trim();
  return built;
};

if (!ENABLED)
  process.stderr.write(
    'test/deploy/containers.deploy-spec.ts skipped: set CONTAINERS=1 to build the image with podman (scripts/containers.sh) and run it\n',
  );

/** A JSON call; the body parsed when it is JSON. */
const call = async <T = any>(
  url: string,
  method = 'GET',
  options: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> => {
  const res = await fetch(url, {
    method,
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    return { status: res.status, body: text as T };
  }
};

const waitFor = async (what: string, ok: () => Promise<boolean>, ms = 120_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
};

const MODULES = ['users', 'logging', 'products', 'search', 'orders'] as const;

/** Each module container's classic port, at the fixed address scripts/containers.sh gives it. */
const CLASSIC: Record<(typeof MODULES)[number], string> = {
  users: '172.28.0.11:9000',
  products: '172.28.0.12:9001',
  search: '172.28.0.13:9002',
  orders: '172.28.0.14:9003',
  logging: '172.28.0.15:9004',
};

(ENABLED ? describe : describe.skip)(
  ENABLED
    ? 'the image, built by podman from docker/Dockerfile'
    : 'the image, built by podman from docker/Dockerfile (skipped: set CONTAINERS=1 to build and run it with scripts/containers.sh)',
  () => {
    const name = `mfm-deploy-${process.pid}`;
    const volume = `${name}-data`;
    let image = '';
    let base = '';

    beforeAll(async () => {
      image = imageBuilt();
      const [port] = await freePorts(1);
      base = `http://127.0.0.1:${port}`;
      engine(
        'run',
        '-d',
        '--name',
        name,
        '-p',
        `127.0.0.1:${port}:3000`,
        '-e',
        'NODE_ENV=development',
        '-v',
        `${volume}:/app/data`,
        image,
      );
    }, 31 * 60_000);

    afterAll(() => {
      script(['engine', 'rm', '-f', '-t', '0', name]);
      script(['engine', 'volume', 'rm', '-f', volume]);
    }, 60_000);

    it('turns healthy by its own HEALTHCHECK', async () => {
      const healthcheck = JSON.parse(
        engine('image', 'inspect', '--format', '{{json .Config.Healthcheck}}', image),
      ) as { Test: string[] };
      expect(healthcheck.Test).toEqual(['CMD', 'node', 'docker/healthcheck.js']);
      expect(await healthOf(name)).toEqual({ status: 'healthy', logs: '' });
    }, 120_000);

    it('starts in production as one module, on bus credentials the image issues, and turns healthy', async () => {
      const certs = mkdtempSync(join(tmpdir(), 'mfm-image-bus-'));
      const products = `${name}-products`;
      try {
        engine(
          'run',
          '--rm',
          '--user',
          '0',
          '-v',
          `${certs}:/out`,
          image,
          'bus-certs',
          '--out',
          '/out',
          '--modules',
          'products',
        );
        chownSync(certs, 1000, 1000);
        for (const file of readdirSync(certs)) chownSync(join(certs, file), 1000, 1000);
        engine(
          'run',
          '-d',
          '--name',
          products,
          '-e',
          'NODE_ENV=production',
          '-e',
          'SERVICE=products',
          '-e',
          'BUS_TLS_DIR=/run/secrets/bus-tls',
          '-v',
          `${certs}:/run/secrets/bus-tls:ro`,
          image,
        );
        expect(await healthOf(products)).toEqual({ status: 'healthy', logs: '' });
        expect(inside(products, 'ls /app/data').out.split('\n')).toContain('products.sqlite');
      } finally {
        script(['engine', 'rm', '-f', '-t', '0', products]);
        rmSync(certs, { recursive: true, force: true });
      }
    }, 180_000);

    it('serves the web app, Swagger UI and the API: the demo customer buys something', async () => {
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toMatch(/<div id="root">/);
      const docs = await fetch(`${base}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/swagger/i);

      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DEMO.customer),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const products = (await (await fetch(`${base}/api/products?limit=50`)).json()) as {
        items: Array<{ id: string; stock: number }>;
      };
      const product = products.items.find((p) => p.stock > 0);
      expect(product).toBeDefined();
      const order = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ items: [{ productId: product?.id, quantity: 1 }] }),
      });
      expect(order.status).toBe(201);
      const { id } = (await order.json()) as { id: string };
      const after = (await (await fetch(`${base}/api/products/${product?.id}`)).json()) as {
        stock: number;
      };
      expect(after.stock).toBe((product?.stock ?? 0) - 1);
      const read = await fetch(`${base}/api/orders/${id}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(read.status).toBe(200);
    });

    it('runs as uid 1000 with the code read-only: only /app/data is writable', () => {
      expect(inside(name, 'id -u').out).toBe('1000');
      // Everything under /app the app's user may write to: the data directory and its files.
      const writable = inside(name, 'find /app -writable').out.split('\n').filter(Boolean);
      expect(writable.length).toBeGreaterThan(1);
      expect(
        writable.filter((path) => path !== '/app/data' && !path.startsWith('/app/data/')),
      ).toEqual([]);
      expect(writable).toContain('/app/data/users.sqlite');
      for (const path of ['/app/dist/main.js', '/app/node_modules/.probe', '/app/package.json'])
        expect({ path, status: inside(name, `echo x >> ${path}`).status }).not.toEqual({
          path,
          status: 0,
        });
    });

    it('holds no development dependency and no compiler', () => {
      // The project lock file marks every package only development needs; none may be installed.
      const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      const installed = Object.keys(
        (
          JSON.parse(inside(name, 'cat /app/node_modules/.package-lock.json').out) as {
            packages: Record<string, unknown>;
          }
        ).packages,
      );
      expect(installed).toContain('node_modules/better-sqlite3');
      expect(installed.filter((path) => lock.packages[path]?.dev)).toEqual([]);
      const compilers = inside(
        name,
        'for tool in gcc g++ cc c++ clang make python3; do command -v $tool; done; true',
      );
      expect(compilers).toEqual({ status: 0, out: '' });
    });

    it('drains on SIGTERM and exits cleanly within the grace period', () => {
      const started = Date.now();
      engine('stop', '-t', String(GRACE_SECONDS), name);
      const seconds = (Date.now() - started) / 1000;
      const exit = engine('inspect', '--format', '{{.State.ExitCode}}', name);
      const logs = script(['engine', 'logs', name]);
      expect({ exit, killed: seconds >= GRACE_SECONDS }).toEqual({ exit: '0', killed: false });
      expect(logs.stdout + logs.stderr).toContain('SIGTERM: draining, then stopping');
    }, 60_000);
  },
);

/** Where the five containers keep their data: their SQLite volumes, or a PostgreSQL container. */
const LAYOUTS = [
  { name: 'on their SQLite volumes', postgres: false },
  { name: 'on PostgreSQL in a container, one database each', postgres: true },
] as const;

(ENABLED ? describe : describe.skip).each(LAYOUTS)(
  ENABLED
    ? 'five containers from the image, one module each, behind the gateway in a container, $name'
    : 'five containers from the image behind the gateway, $name (skipped: set CONTAINERS=1 to run them with scripts/containers.sh)',
  ({ postgres }) => {
    let gateway = '';
    let image = '';
    let orderId = '';

    const healthy = async (): Promise<void> =>
      waitFor('every module healthy through the gateway', async () => {
        for (const path of ['/health', ...MODULES.map((m) => `/health/${m}`)])
          if ((await fetch(`${gateway}${path}`)).status !== 200) return false;
        return true;
      });

    beforeAll(async () => {
      image = imageBuilt();
      const [port] = await freePorts(1);
      gateway = `http://127.0.0.1:${port}`;
      script(['stop-split', '--volumes']);
      const layout = ['--classic', ...(postgres ? ['--postgres'] : [])];
      const started = spawnSync(SCRIPT, ['run-split', ...layout], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20 * 60_000,
        env: { ...process.env, MFM_GATEWAY_PORT: String(port) },
      });
      if (started.status !== 0)
        throw new Error(`scripts/containers.sh run-split failed:\n${started.stderr}`);
      await healthy();
    }, 45 * 60_000);

    afterAll(() => {
      script(['stop-split', '--volumes'], 180_000);
    }, 200_000);

    it('runs each module in its own container of the one image, with its own data and only its own bus credentials, read-only', () => {
      for (const module of MODULES) {
        const container = `mfm-${module}`;
        expect({
          module,
          image: engine('inspect', '--format', '{{.ImageName}}', container),
        }).toEqual({ module, image });
        const mounts = JSON.parse(
          engine('inspect', '--format', '{{json .Mounts}}', container),
        ) as Array<{ Type: string; Name?: string; Destination: string; RW: boolean }>;
        expect(mounts.find((m) => m.Destination === '/app/data')).toMatchObject({
          Type: 'volume',
          Name: `mfm-${module}-data`,
          RW: true,
        });
        const data = inside(container, 'ls /app/data').out.split('\n');
        expect({ module, data: data.filter((f) => f.endsWith('.sqlite')) }).toEqual({
          module,
          data: postgres ? [] : [`${module}.sqlite`],
        });
        if (postgres) {
          // The module's tables, and its migrations' record, in a database of its own.
          const tables = inside(
            'mfm-postgres',
            `psql -U mfm -d ${module} -Atc "select count(*) from information_schema.tables where table_schema = 'public'"`,
          );
          expect({ module, tables: Number(tables.out) > 1 }).toEqual({ module, tables: true });
        }
        expect({ module, tls: inside(container, 'ls /run/secrets/bus-tls').out }).toEqual({
          module,
          tls: ['ca.crt', `${module}.crt`, `${module}.key`].sort().join('\n'),
        });
        expect(inside(container, 'echo x >> /run/secrets/bus-tls/ca.crt').status).not.toBe(0);
      }
    });

    /** The typed client through the gateway, signed in as `account`. */
    const client = async (account: { username: string; password: string }) => {
      const { data } = await createStoreClient(gateway).POST('/api/auth/login', { body: account });
      if (!data || !('accessToken' in data)) throw new Error(`login ${account.username} failed`);
      return createStoreClient(gateway, { token: data.accessToken });
    };

    it('serves a purchase by the demo customer with the typed client, and its audit trail', async () => {
      expect((await fetch(`${gateway}/`)).status).toBe(200);
      expect((await fetch(`${gateway}/docs`)).status).toBe(200);
      const customer = await client(DEMO.customer);
      const manager = await client(DEMO.employee);
      const products = await customer.GET('/api/products', { params: { query: { limit: 50 } } });
      const product = products.data?.items.find((p) => p.stock > 0);
      if (!product) throw new Error('no product in stock');
      const order = await customer.POST('/api/orders', {
        body: { items: [{ productId: product.id, quantity: 1 }] },
      });
      expect(order.response.status).toBe(201);
      expect(order.data).toMatchObject({ status: 'CONFIRMED', totalCents: product.priceCents });
      orderId = order.data?.id ?? '';
      const after = await customer.GET('/api/products/{id}', {
        params: { path: { id: product.id } },
      });
      expect(after.data?.stock).toBe(product.stock - 1);
      await waitFor(
        'the order in the audit trail',
        async () => {
          const logs = await manager.GET('/api/logs', {
            params: { query: { type: 'order_placed', limit: 100 } },
          });
          const page = logs.data as AuditEventPage | undefined;
          return page?.items.some((e) => e.subject.id === orderId) ?? false;
        },
        30_000,
      );
    });

    it("serves the course's classic clients on each module's classic port: sign-up, product, search, order, log", async () => {
      const call = async (
        module: (typeof MODULES)[number],
        method: 'GET' | 'POST',
        path: string,
        fields: Record<string, string>,
        token?: string,
      ): Promise<Record<string, unknown>> => {
        const form = new URLSearchParams(fields).toString();
        const res = await fetch(
          `http://${CLASSIC[module]}${path}${method === 'GET' ? `?${form}` : ''}`,
          {
            method,
            headers: {
              ...(token && { authorization: token }),
              ...(method === 'POST' && { 'content-type': 'application/x-www-form-urlencoded' }),
            },
            body: method === 'POST' ? form : undefined,
          },
        );
        expect(res.status).toBe(200);
        return (await res.json()) as Record<string, unknown>;
      };
      const password = 'Quince-Jam-2026';
      expect(
        await call('users', 'POST', '/create_user', {
          first_name: 'Classic',
          last_name: 'Client',
          username: 'classic_shopper',
          email_address: 'classic_shopper@example.com',
          password,
          salt: 'pepper',
          employee: 'False',
        }),
      ).toMatchObject({ status: 1 });
      const signIn = async (username: string, pass: string) => {
        const answer = await call('users', 'POST', '/login', { username, password: pass });
        expect(answer.status).toBe(1);
        return answer.jwt as string;
      };
      const shopper = await signIn('classic_shopper', password);
      const manager = await signIn(DEMO.employee.username, DEMO.employee.password);
      expect(
        await call(
          'products',
          'POST',
          '/create_product',
          { name: 'quince jam', price: '3.50', category: 'pantry' },
          manager,
        ),
      ).toEqual({ status: 1 });
      let found: Record<string, unknown> = {};
      await waitFor('the new product in the classic search', async () => {
        found = await call('search', 'GET', '/search', { product_name: 'quince jam' }, shopper);
        return found.status === 1;
      });
      expect(found.data).toEqual([
        { product_name: 'quince jam', price: 3.5, category: 'pantry', last_mod: 'manager' },
      ]);
      const order = JSON.stringify([{ product: 'quince jam', quantity: 2 }]);
      expect(await call('orders', 'POST', '/order', { order }, shopper)).toEqual({
        status: 1,
        cost: '7.00',
      });
      // A customer reads their own log; an employee reads a product's.
      const events = async (query: Record<string, string>, token: string) =>
        Object.values(
          ((await call('logging', 'GET', '/view_log', query, token)).data ?? {}) as Record<
            string,
            { event: string; user: string; name: string }
          >,
        );
      await waitFor('the order in the classic log', async () =>
        (await events({ username: 'classic_shopper' }, shopper)).some((e) => e.event === 'order'),
      );
      expect((await events({ username: 'classic_shopper' }, shopper)).map((e) => e.event)).toEqual(
        expect.arrayContaining(['user_creation', 'login', 'order']),
      );
      expect(await events({ product: 'quince jam' }, manager)).toContainEqual({
        event: 'product_creation',
        user: 'manager',
        name: 'quince jam',
      });
    });

    it('loses no order and doubles none when the orders container stops mid-checkout', async () => {
      const manager = await client(DEMO.employee);
      const customer = await client(DEMO.customer);
      const created = await manager.POST('/api/products', {
        body: {
          name: `Container crate ${Date.now()}`,
          category: 'pantry',
          priceCents: 250,
          stock: 100,
        },
      });
      const productId = created.data?.id ?? '';
      expect(created.response.status).toBe(201);
      const keys = Array.from({ length: 20 }, (_, i) => `stop-mid-checkout-${Date.now()}-${i}`);
      const place = (key: string) =>
        customer
          .POST('/api/orders', {
            params: { header: { 'Idempotency-Key': key } },
            body: { items: [{ productId, quantity: 1 }] },
          })
          .then(({ response, data }) => ({ key, status: response.status, id: data?.id }))
          .catch(() => ({ key, status: 0, id: undefined }));
      // Checkouts in flight while the orders container gets SIGKILL, then starts on its volume.
      const inFlight = keys.map((key, i) =>
        new Promise((r) => setTimeout(r, i * 50)).then(() => place(key)),
      );
      await new Promise((r) => setTimeout(r, 300));
      engine('kill', 'mfm-orders');
      const first = await Promise.all(inFlight);
      engine('start', 'mfm-orders');
      await healthy();
      const acknowledged = first.filter((r) => r.status === 201);
      expect(first.some((r) => r.status !== 201)).toBe(true); // the stop did land mid-checkout

      // Every checkout retried with its key: one order each, the same as any first answer.
      // An order cut off mid-saga is finished by the restarted process (on PostgreSQL once it has
      // been untouched for 30 s); until then its key answers 409 IDEMPOTENCY_IN_PROGRESS.
      const settle = async (key: string) => {
        let answer = await place(key);
        await waitFor(
          `order ${key} settled`,
          async () => {
            if (answer.status !== 409 && answer.status >= 200 && answer.status < 500) return true;
            answer = await place(key);
            return false;
          },
          90_000,
        );
        return answer;
      };
      const retried = await Promise.all(keys.map(settle));
      expect(retried.map((r) => r.status)).toEqual(keys.map(() => 201));
      for (const ack of acknowledged)
        expect({ key: ack.key, id: retried.find((r) => r.key === ack.key)?.id }).toEqual({
          key: ack.key,
          id: ack.id,
        });
      const ids = new Set(retried.map((r) => r.id));
      expect(ids.size).toBe(keys.length);
      const mine = await customer.GET('/api/orders', { params: { query: { limit: 100 } } });
      const forProduct = (mine.data?.items ?? []).filter((o) =>
        o.lines.some((line) => line.productId === productId),
      );
      expect(forProduct.map((o) => o.status)).toEqual(keys.map(() => 'CONFIRMED'));
      expect(new Set(forProduct.map((o) => o.id))).toEqual(ids);
      const stock = await customer.GET('/api/products/{id}', {
        params: { path: { id: productId } },
      });
      expect(stock.data?.stock).toBe(100 - keys.length);
    }, 300_000);

    it('keeps every acknowledged write on its volume when every container restarts', async () => {
      expect(orderId).not.toBe('');
      // The store first, drained, then its database server (which waits for its clients to leave).
      const store = [...MODULES.map((m) => `mfm-${m}`), 'mfm-gateway'];
      engine('stop', '-t', '30', ...store);
      if (postgres) engine('restart', '-t', '30', 'mfm-postgres');
      engine('start', ...store);
      await healthy();
      const customer = (
        await call<{ accessToken: string }>(`${gateway}/api/auth/login`, 'POST', {
          body: DEMO.customer,
        })
      ).body.accessToken;
      const order = await call<{ id: string }>(`${gateway}/api/orders/${orderId}`, 'GET', {
        token: customer,
      });
      expect(order).toMatchObject({ status: 200, body: { id: orderId } });
    }, 300_000);
  },
);
