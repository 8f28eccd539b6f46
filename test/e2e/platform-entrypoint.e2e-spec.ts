import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Launched, tcpProbe } from '../support/platform';
import { MODULES, Module, Store, TOPOLOGIES, runEntrypoint } from '../support/store';

jest.setTimeout(60_000);

/** A route each module with routes owns (the others have none yet). */
const OWN_ROUTE: Partial<Record<Module, { method: string; path: string }>> = {
  users: { method: 'POST', path: '/api/auth/login' },
  logging: { method: 'GET', path: '/api/logs' },
};

describe.each(TOPOLOGIES)('the entrypoint hosts the modules of its topology (%s)', (topology) => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.start(topology);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  }, 30_000);

  it.each(MODULES)(
    'the process serving %s reports which modules it hosts on /health',
    async (module) => {
      const res = await store.request(module, 'GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        services: topology === 'single' ? [...MODULES] : [module],
      });
    },
  );

  it('serves a module’s routes only where the module is hosted', async () => {
    for (const [owner, route] of Object.entries(OWN_ROUTE) as Array<
      [Module, { method: string; path: string }]
    >) {
      for (const module of MODULES) {
        const res = await store.request(
          module,
          route.method,
          route.path,
          route.method === 'POST' ? { body: {} } : {},
        );
        const hosted = topology === 'single' || module === owner;
        if (hosted) {
          expect(res.status).not.toBe(404); // 400 (empty login body) or 401 (no token): the route exists
          expect([400, 401]).toContain(res.status);
        } else {
          expect(res.status).toBe(404);
          expect(res.body).toMatchObject({
            statusCode: 404,
            error: 'Not Found',
            code: 'NOT_FOUND',
          });
        }
      }
    }
  });
});

describe('--service and SERVICE pick the modules of one process', () => {
  const launched: Launched[] = [];
  const launch = async (args: string[], env: Record<string, string> = {}) => {
    const proc = await Launched.start(args, env);
    launched.push(proc);
    return proc;
  };

  afterAll(async () => {
    await Promise.all(launched.map((proc) => proc.close()));
  }, 30_000);

  it('`--service users,logging` hosts those two: their routes, their TCP ports, nothing else', async () => {
    const proc = await launch(['--service', 'users,logging']);
    expect(proc.httpPort).toBe(proc.ports.http); // several modules: the shared HTTP_PORT
    expect((await proc.request('GET', '/health')).body).toEqual({
      status: 'ok',
      services: ['users', 'logging'],
    });
    expect(
      (
        await proc.request('POST', '/api/auth/login', {
          body: { username: 'manager', password: 'FreshBasket-2026' },
        })
      ).status,
    ).toBe(200);
    expect((await proc.request('GET', '/api/logs')).status).toBe(401);
    // Reachable by the other modules over TCP on the hosted modules' ports only.
    expect(await tcpProbe(proc.ports.modules.users.tcp)).toBe('open');
    expect(await tcpProbe(proc.ports.modules.logging.tcp)).toBe('open');
    for (const other of ['products', 'search', 'orders'] as const) {
      expect(await tcpProbe(proc.ports.modules[other].tcp)).toBe('refused');
    }
  });

  it('SERVICE=logging hosts logging alone, on its own HTTP port', async () => {
    const proc = await launch([], { SERVICE: 'logging' });
    expect(proc.httpPort).toBe(proc.ports.modules.logging.http);
    expect((await proc.request('GET', '/health')).body).toEqual({
      status: 'ok',
      services: ['logging'],
    });
    expect((await proc.request('GET', '/api/logs')).status).toBe(401);
    expect(
      (await proc.request('POST', '/api/auth/login', { body: { username: 'a', password: 'b' } }))
        .status,
    ).toBe(404);
    expect(await tcpProbe(proc.ports.modules.logging.tcp)).toBe('open');
    expect(await tcpProbe(proc.ports.modules.users.tcp)).toBe('refused');
  });

  it('`--service=products` wins over SERVICE=users', async () => {
    const proc = await launch(['--service=products'], { SERVICE: 'users' });
    expect(proc.httpPort).toBe(proc.ports.modules.products.http);
    expect((await proc.request('GET', '/health')).body).toEqual({
      status: 'ok',
      services: ['products'],
    });
    expect(
      (await proc.request('POST', '/api/auth/login', { body: { username: 'a', password: 'b' } }))
        .status,
    ).toBe(404);
  });

  it.each([
    [['--service', 'billing'], {}, ['billing']],
    [['--service=users,stock'], {}, ['stock']],
    [[], { SERVICE: 'users,billing,warehouse' }, ['billing', 'warehouse']],
  ])(
    'exits non-zero on unknown services %j %j, naming them and listing the valid ones',
    async (args, env, unknown) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mfm-entry-'));
      try {
        const { code, output } = await runEntrypoint(args, {
          ...env,
          DATA_DIR: dataDir,
          NODE_ENV: 'test',
        });
        expect(code).not.toBe(0);
        expect(code).not.toBeNull(); // it exited by itself, it was not killed after a timeout
        for (const name of unknown) expect(output).toContain(name);
        const valid = /Valid services: (.*)/.exec(output)?.[1] ?? '';
        for (const name of MODULES) expect(valid).toContain(name);
        expect(output).not.toMatch(/is ready at/);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('configuration is validated before anything starts', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mfm-config-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names every bad variable in one error and exits non-zero', async () => {
    const { code, output } = await runEntrypoint([], {
      DATA_DIR: dataDir,
      USERS_TCP_PORT: 'abc',
      RPC_TIMEOUT_MS: '-5',
      LOG_LEVEL: 'loud',
      ORDERS_HTTP_PORT: '70000',
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output.match(/Invalid configuration/g)).toHaveLength(1);
    for (const name of ['USERS_TCP_PORT', 'RPC_TIMEOUT_MS', 'LOG_LEVEL', 'ORDERS_HTTP_PORT'])
      expect(output).toContain(name);
    expect(output).toContain('"abc"');
    expect(output).toContain('"loud"');
    expect(output).not.toMatch(/is ready at|Nest application/);
  });

  it('names a bad secret without echoing its value', async () => {
    const secret = 'Sh0rt!';
    const { code, output } = await runEntrypoint(['--service', 'users'], {
      DATA_DIR: dataDir,
      BOOTSTRAP_EMPLOYEE_USERNAME: 'owner',
      BOOTSTRAP_EMPLOYEE_PASSWORD: secret,
      BOOTSTRAP_EMPLOYEE_EMAIL: 'owner@example.com',
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain('BOOTSTRAP_EMPLOYEE_PASSWORD');
    expect(output).not.toContain(secret);
  });

  it('refuses the demo accounts in production', async () => {
    const { code, output } = await runEntrypoint([], {
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      SEED_DEMO: 'true',
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toMatch(/SEED_DEMO.*production/);
  });
});

describe('the internal bus credentials at start', () => {
  const launched: Launched[] = [];
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'mfm-bus-start-'));
  });

  afterAll(async () => {
    await Promise.all(launched.map((proc) => proc.close()));
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  it('production refuses to start a split process without bus credentials: exit 2, one message listing what is missing', async () => {
    const dataDir = join(root, 'prod-products');
    const { code, output } = await runEntrypoint(['--service', 'products'], {
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
    });
    expect(code).toBe(2);
    expect(output.match(/Invalid configuration/g)).toHaveLength(1);
    expect(output).toContain(`BUS_TLS_DIR="${join(dataDir, 'tls')}"`);
    expect(output).toContain('missing ca.crt, products.crt, products.key');
    expect(output).toContain('node dist/main.js bus-certs --out <dir>');
    expect(output).not.toMatch(/is ready at/);
    expect(existsSync(join(dataDir, 'tls'))).toBe(false); // nothing generated in production
  });

  it('production with all five modules in one process needs no bus credentials', async () => {
    const proc = await Launched.start([], { NODE_ENV: 'production' });
    launched.push(proc);
    expect((await proc.request('GET', '/health')).status).toBe(200);
    expect(existsSync(join(proc.dataDir, 'tls'))).toBe(false);
  });

  it('production starts a split process with credentials issued by `bus-certs`', async () => {
    const dir = join(root, 'issued');
    const issue = await runEntrypoint(['bus-certs', '--out', dir, '--modules', 'products'], {});
    expect(issue.code).toBe(0);
    expect(issue.output).toContain(`Wrote ca.crt, ca.key, products.crt, products.key to ${dir}`);
    const proc = await Launched.start(['--service', 'products'], {
      NODE_ENV: 'production',
      BUS_TLS_DIR: dir,
    });
    launched.push(proc);
    expect((await proc.request('GET', '/health')).body).toEqual({
      status: 'ok',
      services: ['products'],
    });
    expect(await tcpProbe(proc.ports.modules.products.tcp)).toBe('open');
  });
});
