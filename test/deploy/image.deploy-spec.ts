import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../support/free-port';
import { LaunchedProcess } from '../support/launcher';
import { ROOT } from './compose';

/**
 * docker/Dockerfile proven without an engine: its runtime stage is rebuilt the same way in a
 * clean folder (production dependencies only, from the lock file, plus the built dist/ and the
 * healthcheck), and the app must start from there and pass the image's own HEALTHCHECK.
 */

const dockerfile = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');
const stage = (name: string): string => {
  const start = dockerfile.search(new RegExp(`^FROM \\S+ AS ${name}$`, 'm'));
  if (start < 0) throw new Error(`Dockerfile has no stage ${name}`);
  const next = dockerfile.slice(start + 1).search(/^FROM /m);
  return next < 0 ? dockerfile.slice(start) : dockerfile.slice(start, start + 1 + next);
};

describe('docker/Dockerfile', () => {
  it('builds in one stage and runs from a slim one with production dependencies only, as a non-root user', () => {
    expect(stage('build')).toMatch(/RUN npm ci\n/);
    expect(stage('build')).toContain('RUN npm run build');
    // The web app is built there too (into dist/web, which the runtime copies with dist/).
    expect(stage('build')).toContain('COPY web ./web');
    expect(stage('prod-deps')).toMatch(/^FROM build AS prod-deps$/m);
    expect(stage('prod-deps')).toContain('RUN npm prune --omit=dev');
    const runtime = stage('runtime');
    expect(runtime).toContain(
      'COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules',
    );
    expect(runtime).toContain('COPY --from=build --chown=root:root /app/dist ./dist');
    expect(runtime).toContain(
      'COPY --chown=root:root docker/healthcheck.js ./docker/healthcheck.js',
    );
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('VOLUME ["/app/data"]');
    expect(runtime).toMatch(/DATA_DIR=\/app\/data/);
    expect(runtime).toContain('CMD ["node", "docker/healthcheck.js"]');
    expect(runtime).toContain('ENTRYPOINT ["node", "dist/main.js"]');
    // Secrets are never baked in: no key, password or database URL in any ENV or ARG.
    expect(dockerfile).not.toMatch(/^(ENV|ARG)\b[^\n]*(PASSWORD|SECRET|KEY|DATABASE_URL)/im);
    // Everything the build stage copies is in the build context (.dockerignore keeps it).
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(\S+)/gm)) {
      expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: ignored.includes(source) }).toEqual({ source, ignored: false });
    }
  });

  describe('the runtime layout, built the same way in a clean folder', () => {
    const app = mkdtempSync(join(tmpdir(), 'mfm-image-'));
    let store: LaunchedProcess | undefined;

    beforeAll(() => {
      // prod-deps stage: the build stage's node_modules (here: this checkout's, linked file by
      // file, so nothing in it changes), then npm prune --omit=dev. npm rewrites its hidden lock
      // file, which is therefore a copy of its own.
      for (const file of ['package.json', 'package-lock.json', '.npmrc'])
        cpSync(join(ROOT, file), join(app, file));
      const linked = spawnSync(
        'cp',
        ['-al', join(ROOT, 'node_modules'), join(app, 'node_modules')],
        { encoding: 'utf8' },
      );
      if (linked.status !== 0) throw new Error(`cp -al node_modules failed: ${linked.stderr}`);
      const hiddenLock = join(app, 'node_modules', '.package-lock.json');
      rmSync(hiddenLock);
      cpSync(join(ROOT, 'node_modules', '.package-lock.json'), hiddenLock);
      const env = {
        ...process.env,
        CI: 'true',
        npm_config_update_notifier: 'false',
        SCARF_ANALYTICS: 'false',
      };
      const prune = spawnSync('npm', ['prune', '--omit=dev'], { cwd: app, env, encoding: 'utf8' });
      if (prune.status !== 0) throw new Error(`npm prune --omit=dev failed:\n${prune.stderr}`);
      // runtime stage: dist/ from the build stage and the healthcheck.
      cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
      mkdirSync(join(app, 'docker'));
      cpSync(join(ROOT, 'docker', 'healthcheck.js'), join(app, 'docker', 'healthcheck.js'));
      mkdirSync(join(app, 'data'));
    }, 600_000);

    afterAll(async () => {
      await store?.stop();
      rmSync(app, { recursive: true, force: true });
    }, 30_000);

    it('holds no development dependency', () => {
      // (yaml is a runtime dependency too, of OpenTelemetry's SDK configuration.)
      for (const dev of ['jest', '@nestjs/cli', 'eslint', 'prettier', 'kubernetes-models'])
        expect({ dev, installed: existsSync(join(app, 'node_modules', dev)) }).toEqual({
          dev,
          installed: false,
        });
      expect(existsSync(join(app, 'node_modules', 'better-sqlite3'))).toBe(true);
      expect(existsSync(join(app, 'dist', 'web', 'index.html'))).toBe(true);
      for (const web of ['react', 'vite', 'playwright-core'])
        expect({ web, installed: existsSync(join(app, 'node_modules', web)) }).toEqual({
          web,
          installed: false,
        });
      expect(existsSync(join(app, 'node_modules', 'pg'))).toBe(true);
    });

    it('starts node dist/main.js from there and passes the image HEALTHCHECK', async () => {
      const [port] = await freePorts(1);
      // Production needs bus credentials for one module: issued by the image itself.
      const busTls = join(app, 'bus-tls');
      const issued = spawnSync(
        process.execPath,
        ['dist/main.js', 'bus-certs', '--out', busTls, '--modules', 'products'],
        { cwd: app, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000, encoding: 'utf8' },
      );
      expect({ status: issued.status, stderr: issued.stderr }).toEqual({ status: 0, stderr: '' });
      // The image's ENV, one module chosen by SERVICE as in docker-compose.yml.
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        DATA_DIR: join(app, 'data'),
        BUS_TLS_DIR: busTls,
        BIND_HOST: '127.0.0.1',
        SERVICE: 'products',
        PRODUCTS_HTTP_PORT: String(port),
        PRODUCTS_TCP_PORT: String((await freePorts(1))[0]),
      };
      const healthcheck = () =>
        spawnSync(process.execPath, ['docker/healthcheck.js'], { cwd: app, env, timeout: 10_000 })
          .status === 0;
      // The image's CMD from its WORKDIR; ready once the image's HEALTHCHECK passes.
      store = await LaunchedProcess.start({
        label: 'node dist/main.js (the image)',
        command: process.execPath,
        args: ['dist/main.js'],
        cwd: app,
        env,
        ready: healthcheck,
        timeoutMs: 60_000,
        pollMs: 250,
      });
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      expect(existsSync(join(app, 'data', 'products.sqlite'))).toBe(true);
    });
  });
});
