import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './compose';

/**
 * libs/client/src/api-schema.ts is generated from openapi.json (`npm run client:generate`). Both
 * are committed, so clients can use them without building the store; this fails when the client
 * was not regenerated after the document changed. (The running store is checked against
 * openapi.json in test/e2e/platform-docs.e2e-spec.ts.)
 */
describe('the generated client', () => {
  it('is what openapi-typescript makes of the committed openapi.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfm-client-'));
    try {
      const out = join(dir, 'api-schema.ts');
      const generate = spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
          join(ROOT, 'openapi.json'),
          '--default-non-nullable',
          'false',
          '-o',
          out,
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      expect(generate.status).toBe(0);
      const format = spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
          '--stdin-filepath',
          join(ROOT, 'libs/client/src/api-schema.ts'),
        ],
        { cwd: ROOT, encoding: 'utf8', input: readFileSync(out, 'utf8'), timeout: 60_000 },
      );
      expect(format.status).toBe(0);
      const committed = readFileSync(join(ROOT, 'libs', 'client', 'src', 'api-schema.ts'), 'utf8');
      // Not toEqual on the whole file: a diff of 2,000 lines says less than "regenerate it".
      expect({ upToDate: format.stdout === committed, fix: 'npm run client:generate' }).toEqual({
        upToDate: true,
        fix: 'npm run client:generate',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
