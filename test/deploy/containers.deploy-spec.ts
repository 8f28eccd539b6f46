import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO } from '../support/accounts';
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
      const built = script(['build'], 30 * 60_000);
      if (built.status !== 0)
        throw new Error(`scripts/containers.sh build failed:\n${built.stderr}`);
      image = script(['image']).stdout.trim();
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
      // No systemd here to run podman's health timer, so the check is run as the timer would.
      const deadline = Date.now() + 90_000;
      let status = '';
      while (status !== 'healthy' && Date.now() < deadline) {
        script(['engine', 'healthcheck', 'run', name]);
        status = engine('inspect', '--format', '{{.State.Health.Status}}', name);
        if (status !== 'healthy') await new Promise((r) => setTimeout(r, 1000));
      }
      expect({ status, logs: status === 'healthy' ? '' : engine('logs', name) }).toEqual({
        status: 'healthy',
        logs: '',
      });
    }, 120_000);

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
