import 'reflect-metadata';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';
import { compile } from '@fastify/proxy-addr';
import { issueBusCredentials } from '@mfm/platform/bus/bus-certificates';
import { writeBusCredentials } from '@mfm/platform/bus/bus-credentials';
import { loadConfig } from '@mfm/platform/config/load-config';
import { MODULE_NAMES, ModuleName } from '@mfm/platform/topology/module-names';
import { freePorts } from '../support/free-port';
import { httpRequest } from '../support/http';
import {
  ComposeFile,
  Env,
  ROOT,
  fixedAddress,
  loadCompose,
  networkNames,
  renderTemplate,
  serviceEnv,
  startOrder,
} from './compose';

/**
 * docker-compose.yml and docker/gateway/ proven without a Docker engine: the file is read as
 * Compose reads it and checked against the application's own configuration schema, then the
 * split topology runs as real processes with exactly the environment compose gives each service
 * (service host names mapped to 127.0.0.1, published and internal ports mapped to free ones,
 * volumes to temp folders, each service's secrets copied to a folder of its own from bus
 * credentials issued as the README says) behind an nginx started from the repository's gateway
 * template.
 */

const ENTRY = join(ROOT, 'dist', 'main.js');
const TEMPLATE = join(ROOT, 'docker', 'gateway', 'default.conf.template');
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
const PG_BASE = process.env.E2E_DATABASE_URL_BASE?.replace(/\/+$/, '') || undefined;
const DEMO_VARS: Env = { NODE_ENV: 'development' }; // the README's way to get the demo accounts

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

    it('agrees on every endpoint, publishes only HTTP ports and finds peers by service name', () => {
      const configs = MODULE_NAMES.map((m) => loadConfig(serviceEnv(services[m])));
      for (const config of configs) expect(config.modules).toEqual(configs[0].modules);
      for (const module of MODULE_NAMES) {
        const config = configs[0];
        const endpoint = config.modules[module];
        expect(endpoint.host).toBe(module);
        const own = loadConfig(serviceEnv(services[module]));
        const published = (services[module].ports ?? []).map((p) => p.split(':').map(Number));
        for (const [host, container] of published) expect(host).toBe(container);
        const containerPorts = published.map(([, c]) => c);
        expect(containerPorts).toContain(endpoint.httpPort);
        expect(containerPorts).not.toContain(endpoint.tcpPort);
        // Anything else published is the classic API port of this module.
        const classic = (own as unknown as { classic?: { ports: Record<string, number> } }).classic;
        for (const port of containerPorts.filter((p) => p !== endpoint.httpPort))
          expect(classic?.ports[module]).toBe(port);
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
      expect(readFileSync(TEMPLATE, 'utf8')).toContain(
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
      const rendered = renderTemplate(readFileSync(TEMPLATE, 'utf8'), gateway);
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

interface Running {
  child: ChildProcess;
  output: string;
}

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
    const compose = loadCompose(vars);
    const profiles = vars.POSTGRES_PASSWORD ? ['postgres'] : [];
    const root = mkdtempSync(join(tmpdir(), 'mfm-compose-'));
    const procs = new Map<string, Running>();
    const envs = new Map<string, Env>();
    let gatewayUrl = '';
    let nginx: ChildProcess | undefined;
    let nginxLog = '';

    /** Compose's environment with the engine's part done locally: names, ports, volumes. */
    function localize(env: Env, portMap: Map<number, number>, service: string): Env {
      const local: Env = { ...env };
      for (const [key, value] of Object.entries(env)) {
        if (/_HOST$/.test(key) && key !== 'BIND_HOST' && compose.services[value])
          local[key] = '127.0.0.1';
        if (/_PORT$/.test(key) && portMap.has(Number(value)))
          local[key] = String(portMap.get(Number(value)));
        if (/_UPSTREAM$/.test(key)) {
          const [host, port] = value.split(':');
          expect(compose.services[host]).toBeDefined();
          local[key] = `127.0.0.1:${portMap.get(Number(port))}`;
        }
        if (/_DATABASE_URL$/.test(key) && value) {
          const url = new URL(value);
          expect(url.host).toBe('postgres:5432');
          const base = new URL(PG_BASE as string);
          url.host = base.host;
          local[key] = url.toString();
        }
      }
      // The gateway's fixed address is 127.0.0.1 here, as the modules' host names are.
      if (env.TRUST_PROXY) {
        const [network] = Object.keys(compose.networks);
        const gateway = fixedAddress(compose.services.gateway, network);
        expect(env.TRUST_PROXY).toBe(gateway);
        local.TRUST_PROXY = '127.0.0.1';
      }
      if (env.BIND_HOST) local.BIND_HOST = '127.0.0.1';
      if (env.DATA_DIR) local.DATA_DIR = join(root, `${service}-data`);
      // Compose's secrets: the service's files copied to where it reads them, nothing else.
      const secrets = compose.services[service].secrets ?? [];
      if (secrets.length > 0) {
        const dir = join(root, `${service}-secrets`);
        mkdirSync(dir, { recursive: true });
        for (const { source, target } of secrets) {
          expect(dirname(target)).toBe(env.BUS_TLS_DIR);
          const file = compose.secrets?.[source]?.file as string;
          copyFileSync(join(root, file), join(dir, basename(target)));
        }
        local.BUS_TLS_DIR = dir;
      }
      return local;
    }

    const healthy = (env: Env): boolean =>
      spawnSync(process.execPath, [join(ROOT, 'docker', 'healthcheck.js')], {
        env: { PATH: process.env.PATH, ...env },
        timeout: 10_000,
      }).status === 0;

    async function startModule(service: string): Promise<void> {
      const env = envs.get(service) as Env;
      const child = spawn(process.execPath, [ENTRY], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const running: Running = { child, output: '' };
      procs.set(service, running);
      child.stdout?.on('data', (c: Buffer) => (running.output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (running.output += c.toString()));
      // The compose healthcheck itself decides when dependants may start (service_healthy).
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null)
          throw new Error(
            `${service} exited with ${child.exitCode}:\n${running.output.slice(-3000)}`,
          );
        if (healthy(env)) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${service} never became healthy:\n${running.output.slice(-3000)}`);
    }

    async function stopModule(service: string): Promise<void> {
      const running = procs.get(service);
      const child = running?.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }

    beforeAll(async () => {
      // What the README asks for before the first `up`: the bus credentials in ./bus-tls.
      writeBusCredentials(
        join(root, 'bus-tls'),
        await issueBusCredentials({ modules: MODULE_NAMES }),
        { withCaKey: true },
      );
      const order = startOrder(compose, profiles).filter((s) => s !== 'postgres');
      const published = new Set<number>();
      for (const name of order) {
        const env = serviceEnv(compose.services[name]);
        for (const [key, value] of Object.entries(env))
          if (/_PORT$/.test(key) && /^\d+$/.test(value)) published.add(Number(value));
        for (const p of compose.services[name].ports ?? []) published.add(Number(p.split(':')[1]));
      }
      const free = await freePorts(published.size);
      const portMap = new Map([...published].map((p, i) => [p, free[i]]));
      for (const name of order)
        envs.set(name, localize(serviceEnv(compose.services[name]), portMap, name));

      if (vars.POSTGRES_PASSWORD) {
        // What the postgres image does on an empty volume: docker/postgres/init-databases.sql.
        const client = new Client({ connectionString: `${PG_BASE}/postgres` });
        await client.connect();
        try {
          for (const module of MODULE_NAMES)
            await client.query(`DROP DATABASE IF EXISTS "${module}" WITH (FORCE)`);
          const sql = readFileSync(join(ROOT, 'docker', 'postgres', 'init-databases.sql'), 'utf8');
          for (const statement of sql.replace(/--.*$/gm, '').split(';'))
            if (statement.trim()) await client.query(statement);
        } finally {
          await client.end();
        }
      }

      for (const name of order) {
        if (name === 'gateway') continue;
        await startModule(name);
      }

      // The gateway: the repository's template rendered as the nginx image renders it.
      const gatewayEnv = envs.get('gateway') as Env;
      const dir = join(root, 'nginx');
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'default.conf'),
        renderTemplate(readFileSync(TEMPLATE, 'utf8'), gatewayEnv),
      );
      writeFileSync(
        join(dir, 'nginx.conf'),
        [
          process.getuid?.() === 0 ? 'user root;' : '',
          'worker_processes 1;',
          `pid ${dir}/nginx.pid;`,
          `error_log ${dir}/error.log warn;`,
          'events { worker_connections 256; }',
          'http {',
          '  access_log off;',
          ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
            (t) => `  ${t}_temp_path ${dir}/${t};`,
          ),
          `  include ${dir}/default.conf;`,
          '}',
        ].join('\n'),
      );
      nginx = spawn(
        NGINX as string,
        ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      nginx.stderr?.on('data', (c: Buffer) => (nginxLog += c.toString()));
      gatewayUrl = `http://127.0.0.1:${gatewayEnv.GATEWAY_PORT}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxLog}`);
        const ok = await fetch(`${gatewayUrl}/gateway/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`nginx did not answer: ${nginxLog}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }, 240_000);

    afterAll(async () => {
      nginx?.kill('SIGTERM');
      await Promise.all([...procs.keys()].map(stopModule));
      if (vars.POSTGRES_PASSWORD) {
        const client = new Client({ connectionString: `${PG_BASE}/postgres` });
        await client.connect();
        for (const module of MODULE_NAMES)
          await client.query(`DROP DATABASE IF EXISTS "${module}" WITH (FORCE)`);
        await client.end();
      }
      rmSync(root, { recursive: true, force: true });
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
      const unknown = await call('GET', '/nowhere');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
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
      const perAddress = loadConfig(envs.get('users') as Env).login.maxFailuresPerIp;
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
