import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './compose';

/**
 * docker/Dockerfile as a file: what its stages must do, read without an engine, so a broken
 * promise shows in every test run. The image itself is built by podman and run in
 * containers.deploy-spec.ts (CONTAINERS=1, as .ci/run does).
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
});
