import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOC = join(ROOT, 'docs', 'configuration.md');

/**
 * docs/configuration.md is generated from the environment schema (npm run docs:config). A
 * variable added to the schema, a changed bound or a changed default makes the committed file
 * stale, and this test says so. The generator runs as its own Node process, as npm runs it
 * (Prettier, which formats the file, loads itself with a dynamic import Jest's sandbox refuses).
 */
const check = (file?: string) =>
  spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'write-configuration-doc.js'), '--check', ...(file ? [file] : [])],
    { cwd: ROOT, encoding: 'utf8' },
  );

describe('docs/configuration.md', () => {
  it('is what npm run docs:config writes from the environment schema today', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('is reported stale when it differs from the schema (a default changed by hand)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfm-config-doc-'));
    try {
      const stale = join(dir, 'configuration.md');
      const committed = readFileSync(DOC, 'utf8');
      expect(committed).toContain('| `RPC_TIMEOUT_MS` ');
      writeFileSync(stale, committed.replace(/(\| `RPC_TIMEOUT_MS` +\| )`3000`/, '$1`4000`'));
      const result = check(stale);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is stale: run npm run docs:config');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents every variable of the schema, each module its own', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const variable of ['CORS_ORIGINS', 'RATE_LIMIT_FEEDBACK', '<MODULE>_DATABASE_URL'])
      expect(doc).toContain(`| \`${variable}\``);
    expect(doc).toMatch(/\| `HTTP_PORT` +\| `3000` +\| whole number 1–65535 /);
  });
});
