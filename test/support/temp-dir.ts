import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary folder for the tests of the enclosing block: made before them (then `prepare`d),
 * removed after them. Read it inside a test or hook: `dir()`.
 */
export function useTempDir(prefix: string, prepare?: (dir: string) => void): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    prepare?.(dir);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}
