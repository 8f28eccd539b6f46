import 'reflect-metadata';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '@fastify/proxy-addr';
import { checkHostedRequirements } from '@mfm/platform/config/hosted-requirements';
import { loadConfig } from '@mfm/platform/config/load-config';
import { MODULE_NAMES, ModuleName } from '@mfm/platform/topology/module-names';
import { HOSTED_NEEDS } from '../../src/hosted-needs';
import { httpRequest } from '../support/http';
import { GATEWAY_TEMPLATE, NGINX, renderTemplate } from '../support/nginx-gateway';
import { ComposeTopology, PG_BASE } from './compose-topology';
import {
  ComposeFile,
  Env,
  ROOT,
  fixedAddress,
  loadCompose,
  networkNames,
  serviceEnv,
  startOrder,
} from './compose';

/**
 * docker-compose.yml and docker/gateway/ proven without a Docker engine: the file is read as
 * Compose reads it and checked against the application's own configuration schema, then the
 * split topology runs as real processes with exactly the environment compose gives each service
 * behind an nginx started from the repository's gateway template, each service's secrets
 * (bus credentials issued as docs/operations.md says) in a folder of its own (./compose-topology.ts).
 */

const DEMO_VARS: Env = { NODE_ENV: 'development' }; // docs/operations.md's way to get the demo accounts

const modulePrefix = (m: string) => m.toUpperCase();

/** Every `@Controller('api/…')` and `.well-known` prefix the code serves, per module folder. */
function controllerPrefixes(): Array<{ module: string; prefix: string }> {
  const found: Array<{ module: string; prefix: string }> = [];
  for (const module of MODULE_NAMES) {
    const dir = join(ROOT, 'src', module);
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.controller.ts'))
          for (const m of readFileSync(path, 'utf8').matchAll(/@Controller\('([^']+)'\)/g))
            found.push({ module, prefix: m[1] });
      }
    };
    walk(dir);
  }
  return found;
}

describe.each([
  ['sqlite', {}],
  ['postgres profile', { POSTGRES_PASSWORD: 'compose-check-secret' }],
] as Array<[string, Env]>)(
  'docker-compose.yml (%s) against the configuration schema',
  (_, vars) => {
    const compose: ComposeFile = loadCompose(vars);
    const profiles = vars.POSTGRES_PASSWORD ? ['postgres'] : [];
    const services = compose.services;

    it('has one service per module from one image, each a valid configuration', () => {
      const image = services.users.image;
      for (const module of MODULE_NAMES) {
        const service = services[module];
        expect(service).toBeDefined();
        expect(service.image).toBe(image);
        expect(service.build?.dockerfile).toBe('docker/Dockerfile');
        const env = serviceEnv(service);
        expect(env.SERVICE).toBe(module);
        const config = loadConfig(env); // throws on any invalid variable
        expect(config.modules[module].httpPort).toBeGreaterThan(0);
        expect(config.dataDir).toBe('/app/data');
        if (vars.POSTGRES_PASSWORD) {
          for (const m of MODULE_NAMES)
            expect(config.modules[m].databaseUrl).toBe(
              `postgres://mfm:${vars.POSTGRES_PASSWORD}@postgres:5432/${m}`,
            );
        } else {
          for (const m of MODULE_NAMES) expect(config.modules[m].databaseUrl).toBeUndefined();
        }
      }
      expect(existsSync(join(ROOT, 'docker', 'Dockerfile'))).toBe(true);
    });

    it('agrees on every endpoint, publishes only the gateway and finds peers by service name', () => {
      const configs = MODULE_NAMES.map((m) => loadConfig(serviceEnv(services[m])));
      for (const config of configs) expect(config.modules).toEqual(configs[0].modules);
      for (const module of MODULE_NAMES) {
        expect(configs[0].modules[module].host).toBe(module);
        // A module's own HTTP port would bypass the gateway (its 404 for /metrics among others).
        expect({ module, ports: services[module].ports }).toEqual({ module, ports: undefined });
      }
      const published = Object.entries(services)
        .filter(([name, service]) => service.ports && startOrder(compose, profiles).includes(name))
        .map(([name]) => name);
      expect(published).toEqual(['gateway']);
    });

    it('publishes the classic ports only with docker-compose.classic.yml, each module its own', () => {
      const classic = loadCompose(vars, 'docker-compose.classic.yml');
      expect(Object.keys(classic.services).sort()).toEqual([...MODULE_NAMES].sort());
      for (const module of MODULE_NAMES) {
        const own = loadConfig({
          ...serviceEnv(
            loadCompose({ ...vars, CLASSIC_API: '1', NODE_ENV: 'development' }).services[module],
          ),
        });
        expect(own.classic.enabled).toBe(true);
        expect(classic.services[module].ports).toEqual([
          `${own.classic.ports[module]}:${own.classic.ports[module]}`,
        ]);
      }
    });

    it('keeps Mailpit to a development profile on loopback, and production needs SMTP_URL', () => {
      expect(services.mailpit.profiles).toEqual(['dev']);
      expect(services.mailpit.ports).toEqual(['127.0.0.1:8025:8025']);
      for (const module of MODULE_NAMES) {
        const env = serviceEnv(services[module]);
        expect({ module, smtp: env.SMTP_URL }).toEqual({ module, smtp: '' });
        // NODE_ENV defaults to production: users and orders send mail and refuse to start.
        const hosted = [module];
        const check = () => checkHostedRequirements(hosted, loadConfig(env), HOSTED_NEEDS);
        if (module === 'users' || module === 'orders')
          expect(check).toThrow(/SMTP_URL is required/);
      }
      const mailed = loadCompose({ ...vars, SMTP_URL: 'smtp://mail.shop.example:587' });
      for (const module of ['users', 'orders'] as const)
        expect(() =>
          checkHostedRequirements(
            [module],
            loadConfig({
              ...serviceEnv(mailed.services[module]),
              DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
              DATA_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
            }),
            HOSTED_NEEDS,
          ),
        ).not.toThrow();
    });

    it('serves /metrics in production on a port of its own that nothing publishes', () => {
      for (const module of MODULE_NAMES) {
        const config = loadConfig(serviceEnv(services[module]));
        expect(config.nodeEnv).toBe('production');
        expect(config.metrics.enabled).toBe(true);
        expect(config.metrics.port).toBeDefined();
        expect(config.metrics.port).not.toBe(config.modules[module].httpPort);
        expect(services[module].ports ?? []).not.toContainEqual(
          expect.stringContaining(String(config.metrics.port)),
        );
      }
    });

    it('keeps state on a named volume per module, restarts, checks health, one bridge network', () => {
      expect(Object.keys(compose.networks)).toHaveLength(1);
      const [network] = Object.keys(compose.networks);
      expect(compose.networks[network].driver).toBe('bridge');
      for (const service of Object.values(services)) {
        expect(networkNames(service)).toEqual([network]);
        expect(service.restart).toBe('unless-stopped');
        expect(service.healthcheck?.test?.length).toBeGreaterThan(0);
      }
      for (const module of MODULE_NAMES) {
        const service = services[module];
        expect(service.volumes).toEqual([`${module}-data:/app/data`]);
        expect(compose.volumes).toHaveProperty(`${module}-data`);
        expect(service.healthcheck?.test).toEqual(['CMD', 'node', 'docker/healthcheck.js']);
        for (const [dep, spec] of Object.entries(service.depends_on ?? {})) {
          expect(services[dep]).toBeDefined();
          expect(spec.condition).toBe('service_healthy');
        }
      }
      expect(readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8')).toContain(
        'COPY --chown=root:root docker/healthcheck.js ./docker/healthcheck.js',
      );
      // Every module that calls a peer at start waits for it (search rebuilds from products,
      // orders recovers through products, everyone verifies tokens with users).
      expect(Object.keys(services.search.depends_on ?? {})).toEqual(
        expect.arrayContaining(['users', 'products']),
      );
      expect(Object.keys(services.orders.depends_on ?? {})).toEqual(
        expect.arrayContaining(['users', 'products']),
      );
      expect(() => startOrder(compose, profiles)).not.toThrow();
    });

    it('trusts exactly the gateway: its fixed address, outside the range Docker hands out', () => {
      const [network] = Object.keys(compose.networks);
      const [ipam] = compose.networks[network].ipam?.config ?? [];
      const gatewayAddress = fixedAddress(services.gateway, network) as string;
      expect(gatewayAddress).toBeDefined();
      expect(compile(ipam.subnet as string)(gatewayAddress, 0)).toBe(true);
      expect(compile(ipam.ip_range as string)(gatewayAddress, 0)).toBe(false);
      for (const [name, service] of Object.entries(services))
        if (name !== 'gateway') expect(fixedAddress(service, network)).toBeUndefined();
      for (const module of MODULE_NAMES)
        expect(loadConfig(serviceEnv(services[module])).trustProxy).toEqual([gatewayAddress]);
      // The gateway appends the address it saw to X-Forwarded-For: the last entry is the client.
      expect(readFileSync(GATEWAY_TEMPLATE, 'utf8')).toContain(
        'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      );
    });

    it('listens on every interface and gives each module the bus CA and only its own certificate and key', () => {
      const sources = compose.secrets ?? {};
      for (const module of MODULE_NAMES) {
        const config = loadConfig(serviceEnv(services[module]));
        // The image's loopback default would hide the module from its peers.
        expect(serviceEnv(services[module]).BIND_HOST).toBe('0.0.0.0');
        expect(config.bindHost).toBe('0.0.0.0');
        const mounted = Object.fromEntries(
          (services[module].secrets ?? []).map(({ source, target }) => [
            target,
            sources[source]?.file,
          ]),
        );
        const dir = config.bus.tlsDir;
        expect(dir).toMatch(/^\/run\/secrets\//);
        expect(mounted).toEqual({
          [`${dir}/ca.crt`]: './bus-tls/ca.crt',
          [`${dir}/${module}.crt`]: `./bus-tls/${module}.crt`,
          [`${dir}/${module}.key`]: `./bus-tls/${module}.key`,
        });
      }
      // The gateway and the database server get none.
      expect(services.gateway.secrets).toBeUndefined();
      expect(Object.values(sources).map((s) => s.file)).not.toContain('./bus-tls/ca.key');
    });

    it('routes every controller of the code through the gateway to the module that owns it', () => {
      const gateway = serviceEnv(services.gateway);
      expect(services.gateway.ports).toEqual([`${gateway.GATEWAY_PORT}:${gateway.GATEWAY_PORT}`]);
      const config = loadConfig(serviceEnv(services.users));
      for (const module of MODULE_NAMES)
        expect(gateway[`${modulePrefix(module)}_UPSTREAM`]).toBe(
          `${module}:${config.modules[module].httpPort}`,
        );
      const rendered = renderTemplate(readFileSync(GATEWAY_TEMPLATE, 'utf8'), gateway);
      expect(rendered).not.toMatch(/\$\{[A-Z_]+\}/); // every template variable is set
      const locations = [
        ...rendered.matchAll(/location ([~=] )?(\S+) \{\s*set \$mfm_module (\w+);/g),
      ];
      const routed = (path: string): string | undefined =>
        locations.find(([, kind, pattern]) =>
          kind?.trim() === '~' ? new RegExp(pattern).test(path) : path.startsWith(pattern),
        )?.[3];
      for (const { module, prefix } of controllerPrefixes())
        expect({ prefix, module: routed(`/${prefix}/x`) }).toEqual({ prefix, module });
      if (vars.POSTGRES_PASSWORD) {
        const postgres = services.postgres;
        expect(postgres.profiles).toEqual(['postgres']);
        const sql = readFileSync(join(ROOT, 'docker', 'postgres', 'init-databases.sql'), 'utf8');
        for (const module of MODULE_NAMES) expect(sql).toContain(`CREATE DATABASE ${module};`);
        for (const module of MODULE_NAMES)
          expect(services[module].depends_on?.postgres).toEqual({
            condition: 'service_healthy',
            required: false,
          });
      }
    });
  },
);

// The SQLite topology in the main run; with E2E_DATABASE_URL_BASE (.ci/run's PostgreSQL run) the
// postgres profile, its server being that cluster (user mfm, as the profile's POSTGRES_USER).
const liveVariants: Array<[string, Env]> = PG_BASE
  ? [
      [
        'postgres profile',
        { ...DEMO_VARS, POSTGRES_PASSWORD: decodeURIComponent(new URL(PG_BASE).password) },
      ],
    ]
  : [['sqlite', DEMO_VARS]];

const describeLive =
  NGINX || process.env.CI ? describe.each(liveVariants) : describe.skip.each(liveVariants);
if (!NGINX)
  console.warn(
    process.env.CI
      ? 'nginx is missing: .ci/run installs it (apt-get install nginx); the gateway tests fail.'
      : 'SKIPPED: the compose topology behind the gateway needs nginx (apt-get install nginx).',
  );

describeLive(
  'compose topology (%s) as processes behind the repository gateway',
  (variant, vars) => {
    let topology: ComposeTopology;
    let gatewayUrl = '';
    const stopModule = (service: string) => topology.stopModule(service);
    const startModule = (service: string) => topology.startModule(service);

    beforeAll(async () => {
      topology = await ComposeTopology.start({
        vars,
        profiles: vars.POSTGRES_PASSWORD ? ['postgres'] : [],
      });
      gatewayUrl = topology.url;
    }, 240_000);

    afterAll(async () => {
      await topology?.close();
    }, 60_000);

    async function call<T = any>(
      method: string,
      path: string,
      options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
    ): Promise<{ status: number; body: T; text: string; type: string | null }> {
      const res = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: {
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
          ...(options.token && { authorization: `Bearer ${options.token}` }),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      });
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (the docs page)
      }
      return { status: res.status, body, text, type: res.headers.get('content-type') };
    }

    const token = async (username: string, password: string): Promise<string> => {
      const res = await call<{ accessToken: string }>('POST', '/api/auth/login', {
        body: { username, password },
      });
      expect(res.status).toBe(200);
      return res.body.accessToken;
    };

    it('every module started with its compose environment and answers through one base URL', async () => {
      expect(variant).toBeTruthy();
      expect((await call('GET', '/health')).status).toBe(200);
      expect((await call('GET', '/ready')).status).toBe(200);
      for (const module of MODULE_NAMES) {
        expect({ module, status: (await call('GET', `/health/${module}`)).status }).toEqual({
          module,
          status: 200,
        });
        expect({ module, status: (await call('GET', `/ready/${module}`)).status }).toEqual({
          module,
          status: 200,
        });
      }
      const docs = await call('GET', '/docs');
      expect(docs.status).toBe(200);
      // One document for the whole store behind the gateway, each module's part under its name.
      const storeDoc = await call<{ paths: Record<string, unknown> }>('GET', '/docs/json');
      expect(Object.keys(storeDoc.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/auth/login',
          '/api/products',
          '/api/search',
          '/api/orders',
          '/api/logs',
        ]),
      );
      for (const [module, path] of [
        ['users', '/api/auth/login'],
        ['products', '/api/products'],
        ['search', '/api/search'],
        ['orders', '/api/orders'],
        ['logging', '/api/logs'],
      ] as Array<[ModuleName, string]>) {
        const doc = await call<{ paths: Record<string, unknown> }>('GET', `/docs/${module}/json`);
        expect({ module, status: doc.status }).toEqual({ module, status: 200 });
        expect(Object.keys(doc.body.paths)).toContain(path);
        // The module's own Swagger UI loads its assets through the gateway too.
        const page = await call('GET', `/docs/${module}`);
        expect({ module, status: page.status }).toEqual({ module, status: 200 });
        for (const [, asset] of (page.text ?? '').matchAll(/(?:src|href)=['"]\.\/([^'"]+)['"]/g)) {
          const loaded = await call('GET', `/docs/${asset}`);
          expect({ module, asset, status: loaded.status }).toEqual({ module, asset, status: 200 });
        }
      }
      // An unknown API path keeps the store's JSON 404; other paths are the web app's.
      const unknown = await call('GET', '/api/nowhere');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      for (const path of ['/', '/orders/123']) {
        const page = await call('GET', path);
        expect({ path, status: page.status, type: page.type }).toEqual({
          path,
          status: 200,
          type: 'text/html; charset=utf-8',
        });
        expect(page.text).toContain('<div id="root"></div>');
      }
      const script = /src="(\/assets\/[^"]+\.js)"/.exec((await call('GET', '/')).text)?.[1];
      const asset = await call('GET', script ?? '/assets/missing.js');
      expect({ status: asset.status, type: asset.type }).toEqual({
        status: 200,
        type: 'application/javascript; charset=utf-8',
      });
    });

    it('keeps /metrics off the gateway; Prometheus finds it on every module, as the observability profile scrapes it', async () => {
      const viaGateway = await call('GET', '/metrics');
      expect(viaGateway.status).toBe(404);
      for (const module of MODULE_NAMES) {
        const env = topology.env(module);
        const res = await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain(`process="${module}"`);
        // The HTTP port, where a gateway or an ingress sends the public, has none (users answers
        // with its web app's page, as for any path it does not know).
        const http = await fetch(
          `http://127.0.0.1:${env[`${module.toUpperCase()}_HTTP_PORT`]}/metrics`,
        );
        expect(await http.text()).not.toContain('process="');
      }
    });

    it('serves the shop through the gateway: login, products, search, orders, logs', async () => {
      const manager = await token('manager', 'FreshBasket-2026');
      const customer = await token('customer', 'HappyCart-2026');
      const name = `Gateway oats ${Date.now()}`;
      const created = await call<{ id: string; stock: number }>('POST', '/api/products', {
        token: manager,
        body: { name, category: 'pantry', priceCents: 349, stock: 5 },
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect((await call<{ name: string }>('GET', `/api/products/${id}`)).body.name).toBe(name);

      const deadline = Date.now() + 20_000;
      let found = false;
      while (!found && Date.now() < deadline) {
        const hits = await call<{ items: Array<{ id: string }> }>(
          'GET',
          `/api/search?q=${encodeURIComponent('gateway oat')}`,
        );
        found = hits.status === 200 && hits.body.items.some((item) => item.id === id);
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(true);

      const order = await call<{ id: string }>('POST', '/api/orders', {
        token: customer,
        body: { items: [{ productId: id, quantity: 2 }] },
      });
      expect(order.status).toBe(201);
      expect((await call<{ stock: number }>('GET', `/api/products/${id}`)).body.stock).toBe(3);
      expect((await call('GET', `/api/orders/${order.body.id}`, { token: customer })).status).toBe(
        200,
      );

      let logged = false;
      const logDeadline = Date.now() + 20_000;
      while (!logged && Date.now() < logDeadline) {
        const logs = await call<{ items: Array<{ type: string; subject: { id: string } }> }>(
          'GET',
          `/api/logs?type=product_created&productId=${id}`,
          { token: manager },
        );
        logged =
          logs.status === 200 &&
          logs.body.items.some((e) => e.type === 'product_created' && e.subject.id === id);
        if (!logged) await new Promise((r) => setTimeout(r, 200));
      }
      expect(logged).toBe(true);
    });

    it('counts each client behind the gateway under its own address; a forged X-Forwarded-For does not help', async () => {
      // Clients at 127.0.0.2 and 127.0.0.3; the gateway (127.0.0.1 here) is the trusted proxy.
      const login = (from: string, username: string, password: string, forged?: string) =>
        httpRequest(gatewayUrl, 'POST', '/api/auth/login', {
          body: { username, password },
          from,
          ...(forged && { headers: { 'x-forwarded-for': forged } }),
        });
      const perAddress = loadConfig(topology.env('users')).login.maxFailuresPerIp;
      const guesses = await Promise.all(
        Array.from({ length: perAddress }, (_, i) =>
          login('127.0.0.2', `nobody_${i}_${Date.now()}`, 'Wrong-Guess-1', `198.51.100.${i % 250}`),
        ),
      );
      expect(guesses.filter((r) => r.status === 401)).toHaveLength(perAddress);
      const blocked = await login('127.0.0.2', 'customer', 'HappyCart-2026', '203.0.113.77');
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({
        code: 'TOO_MANY_LOGIN_ATTEMPTS',
        details: { scope: 'address' },
      });
      // Another customer behind the same gateway is not locked out.
      expect((await login('127.0.0.3', 'customer', 'HappyCart-2026')).status).toBe(200);
    });

    it('answers 503 in the error shape when the orders process is down, and reserves nothing', async () => {
      const manager = await token('manager', 'FreshBasket-2026');
      const customer = await token('customer', 'HappyCart-2026');
      const created = await call<{ id: string }>('POST', '/api/products', {
        token: manager,
        body: {
          name: `Gateway tea ${Date.now()}`,
          category: 'beverages',
          priceCents: 299,
          stock: 4,
        },
      });
      expect(created.status).toBe(201);
      await stopModule('orders');
      const res = await call('POST', '/api/orders', {
        token: customer,
        body: { items: [{ productId: created.body.id, quantity: 1 }] },
      });
      expect(res.status).toBe(503);
      expect(res.type).toContain('application/json');
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'PEER_UNAVAILABLE',
        message: 'The orders service is unavailable',
        details: { peer: 'orders' },
      });
      expect(
        (await call<{ stock: number }>('GET', `/api/products/${created.body.id}`)).body.stock,
      ).toBe(4);
      // The rest of the shop still answers.
      expect((await call('GET', '/api/products')).status).toBe(200);
      // Back up: orders are taken again through the same gateway.
      await startModule('orders');
      const again = await call('POST', '/api/orders', {
        token: customer,
        body: { items: [{ productId: created.body.id, quantity: 1 }] },
      });
      expect(again.status).toBe(201);
    });
  },
);
