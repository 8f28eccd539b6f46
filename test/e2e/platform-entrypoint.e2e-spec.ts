import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fillDisk, mountTmpfs, unmount } from '../support/tmpfs';
import { freePorts } from '../support/free-port';
import { Launched, tcpProbe } from '../support/platform';
import { runEntrypoint } from '../support/launcher';
import { useTempDir } from '../support/temp-dir';
import { MODULES, Module, Store, TOPOLOGIES, productionSecrets, useStore } from '../support/store';

jest.setTimeout(60_000);

/** A route each module with routes owns (the others have none yet). */
const OWN_ROUTE: Partial<Record<Module, { method: string; path: string }>> = {
  users: { method: 'POST', path: '/api/auth/login' },
  logging: { method: 'GET', path: '/api/logs' },
};

describe.each(TOPOLOGIES)('the entrypoint hosts the modules of its topology (%s)', (topology) => {
  let store: Store;

  useStore(topology, (started) => (store = started));

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
  const dataDir = useTempDir('mfm-config-');

  it('names every bad variable in one error and exits non-zero', async () => {
    const { code, output } = await runEntrypoint([], {
      DATA_DIR: dataDir(),
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
      DATA_DIR: dataDir(),
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
      DATA_DIR: dataDir(),
      NODE_ENV: 'production',
      SEED_DEMO: 'true',
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toMatch(/SEED_DEMO.*production/);
  });
});

/** Free ports for every listener a process could open, so a refused start collides with nothing. */
async function portEnv(): Promise<Record<string, string>> {
  const free = await freePorts(1 + MODULES.length * 2);
  const env: Record<string, string> = { BIND_HOST: '127.0.0.1', HTTP_PORT: String(free[0]) };
  MODULES.forEach((m, i) => {
    env[`${m.toUpperCase()}_HTTP_PORT`] = String(free[1 + i]);
    env[`${m.toUpperCase()}_TCP_PORT`] = String(free[1 + MODULES.length + i]);
  });
  return env;
}

/** The refusal is one line of its own, not a stack trace. */
const refusalLine = (output: string) =>
  output.split('\n').filter((line) => /DATA_DIR/.test(line) && !line.startsWith('{'));

describe('one process per module and data folder', () => {
  let dataDir: string;
  let users: Launched;
  let products: Launched;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mfm-shared-'));
    // The split processes may share one folder: each holds only its own module's files.
    users = await Launched.start(['--service', 'users'], { DATA_DIR: dataDir });
    products = await Launched.start(['--service', 'products'], { DATA_DIR: dataDir });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([users?.close(), products?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('two different modules on one DATA_DIR both start and serve', async () => {
    expect((await users.request('GET', '/health')).body.services).toEqual(['users']);
    expect((await products.request('GET', '/health')).body.services).toEqual(['products']);
    expect((await products.request('GET', '/api/products')).status).toBe(200);
  });

  it.each([
    ['--service users', ['--service', 'users'], 'users'],
    ['one process hosting all five', [], 'users'],
    ['--service products,orders', ['--service', 'products,orders'], 'products'],
  ])(
    'a second process for a module already served from the folder (%s) exits 2 naming the module and the folder; the first keeps serving',
    async (_name, args, module) => {
      const { code, output } = await runEntrypoint(args, {
        ...(await portEnv()),
        DATA_DIR: dataDir,
        NODE_ENV: 'test',
      });
      expect(code).toBe(2);
      const lines = refusalLine(output);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`the ${module} module`);
      expect(lines[0]).toContain(dataDir);
      expect(output).not.toMatch(/^\s+at /m); // no stack trace
      expect(output).not.toMatch(/is ready at|database is locked/);
      const login = await users.request('POST', '/api/auth/login', {
        body: { username: 'manager', password: 'FreshBasket-2026' },
      });
      expect(login.status).toBe(200);
    },
  );

  it('once the first is killed with SIGKILL, a new process starts on the same folder at once and has its data', async () => {
    const signup = await users.request('POST', '/api/auth/register', {
      body: {
        firstName: 'Lock',
        lastName: 'Test',
        username: 'lock_test',
        email: 'lock_test@example.com',
        password: 'Groceries-4-All',
      },
    });
    expect(signup.status).toBe(201);
    const exited = new Promise((done) => users.child.once('exit', done));
    users.child.kill('SIGKILL');
    await exited;
    users = await Launched.start(['--service', 'users'], { DATA_DIR: dataDir });
    const login = await users.request('POST', '/api/auth/login', {
      body: { username: 'lock_test', password: 'Groceries-4-All' },
    });
    expect(login.status).toBe(200);
  });
});

describe('a DATA_DIR that cannot be used stops the start at once with exit 2', () => {
  // Reachable by the unprivileged user below.
  const root = useTempDir('mfm-baddir-', (dir) => chmodSync(dir, 0o755));

  /** `--service users` on `dataDir`: exit 2 and one line naming the folder, no stack trace. */
  const refusal = async (dataDir: string, timeoutMs?: number): Promise<string> => {
    const { code, output } = await runEntrypoint(
      ['--service', 'users'],
      { ...(await portEnv()), DATA_DIR: dataDir, NODE_ENV: 'test' },
      timeoutMs,
    );
    expect(code).toBe(2);
    const lines = refusalLine(output);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dataDir);
    expect(output).not.toMatch(/^\s+at /m);
    return lines[0];
  };

  it('a DATA_DIR that cannot be created (a file is in the way)', async () => {
    writeFileSync(join(root(), 'not-a-folder'), '');
    await refusal(join(root(), 'not-a-folder', 'data'));
  });

  it('a DATA_DIR the system refuses to create (under /proc), at once instead of spinning', async () => {
    await refusal('/proc/mfm-data', 10_000);
  });

  it('a read-only DATA_DIR', async () => {
    const dataDir = join(root(), 'read-only');
    mkdirSync(dataDir);
    // root() writes through permission bits, but not to a read-only file system.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) mountTmpfs(dataDir, '1m', { readOnly: true });
    else chmodSync(dataDir, 0o555);
    try {
      expect(await refusal(dataDir)).toMatch(/writ/i);
    } finally {
      if (asRoot) unmount(dataDir);
    }
  });
});

describe('a start the operator can fix stops with exit 2 and one line naming the module', () => {
  const root = useTempDir('mfm-startfail-');

  /** Lines of the process's own, not its JSON log. */
  const plainLines = (output: string) =>
    output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));

  // Nothing left at all, and a little room: enough for the lock and key files, not the database.
  it.each([
    ['users', 0],
    ['products', 0],
    ['users', 160 * 1024],
    ['products', 160 * 1024],
  ])('%s on a DATA_DIR whose disk is full (%d bytes left)', async (module, left) => {
    const dataDir = mkdtempSync(join(root(), 'full-'));
    mountTmpfs(dataDir, '1m');
    try {
      fillDisk(dataDir, left);
      const { code, output } = await runEntrypoint(['--service', module], {
        ...(await portEnv()),
        DATA_DIR: dataDir,
        NODE_ENV: 'test',
      });
      expect({ code, lines: plainLines(output) }).toEqual({
        code: 2,
        lines: [expect.stringContaining(`DATA_DIR ${dataDir} is full: the ${module} module`)],
      });
      expect(output).toMatch(/Free space on that disk/);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toMatch(/AppError|is ready at/);
    } finally {
      unmount(dataDir);
    }
  });

  it('a PostgreSQL server that does not answer: one line per attempt, then one line to act on', async () => {
    const [closedPort] = await freePorts(1);
    const { code, output } = await runEntrypoint(
      ['--service', 'users'],
      {
        ...(await portEnv()),
        DATA_DIR: mkdtempSync(join(root(), 'pg-')),
        NODE_ENV: 'test',
        USERS_DATABASE_URL: `postgres://u:Secret-Pw-1@127.0.0.1:${closedPort}/db`,
      },
      40_000,
    );
    const lines = plainLines(output);
    expect(code).toBe(2);
    expect(lines).toHaveLength(5);
    for (const [i, line] of lines.slice(0, 4).entries())
      expect(line).toMatch(
        new RegExp(
          `^users module: PostgreSQL at 127\\.0\\.0\\.1:${closedPort}/db did not answer .*attempt ${i + 1} of 5`,
        ),
      );
    expect(lines[4]).toMatch(
      new RegExp(
        `^users module: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closedPort}/db after 5 attempts`,
      ),
    );
    expect(lines[4]).toContain('USERS_DATABASE_URL');
    expect(output).not.toContain('Secret-Pw-1');
    expect(output).not.toMatch(/^\s+at /m);
  });
});

describe('the entrypoint refuses nonsense with exit 2 and one clear line', () => {
  const dataDir = useTempDir('mfm-nonsense-');

  it.each([[['--service']], [['--service', '--classic']], [['--service=']]])(
    '%j: --service without a value',
    async (args) => {
      const { code, output } = await runEntrypoint(args, { DATA_DIR: dataDir(), NODE_ENV: 'test' });
      expect(code).toBe(2);
      expect(output).toContain('--service needs a value');
      expect(output).not.toMatch(/is ready at/);
    },
  );

  it.each(['3e3', '0x0CA8', ' 3240'])('HTTP_PORT=%j: only plain decimal digits', async (port) => {
    const { code, output } = await runEntrypoint([], {
      DATA_DIR: dataDir(),
      NODE_ENV: 'test',
      HTTP_PORT: port,
    });
    expect(code).toBe(2);
    expect(output).toContain(`HTTP_PORT=${JSON.stringify(port)}`);
    expect(output).not.toMatch(/is ready at/);
  });

  it.each(['HTTP', 'TCP'])('a %s port already in use', async (kind) => {
    const blocker = createServer();
    const port = await new Promise<number>((done) =>
      blocker.listen(0, '127.0.0.1', () => done((blocker.address() as AddressInfo).port)),
    );
    try {
      const env: Record<string, string> = {
        ...(await portEnv()),
        DATA_DIR: mkdtempSync(join(dataDir(), 'p-')),
        NODE_ENV: 'test',
      };
      env[kind === 'HTTP' ? 'USERS_HTTP_PORT' : 'USERS_TCP_PORT'] = String(port);
      const { code, output } = await runEntrypoint(['--service', 'users'], env);
      expect(code).toBe(2);
      const lines = output.split('\n').filter((line) => line.startsWith('Cannot listen'));
      expect(lines).toEqual([
        expect.stringContaining(`127.0.0.1:${port}: the port is already in use`),
      ]);
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      blocker.close();
    }
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
    const proc = await Launched.start([], { NODE_ENV: 'production', ...productionSecrets() });
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
