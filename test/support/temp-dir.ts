import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary folder for the tests of the enclosing block: made before them (then `prepare`d),
 * removed after them. Read it inside a test or hook: `dir()`.
 *
 * Jest runs `afterAll` hooks in the order they are declared: call this after the hook that stops
 * whatever writes into the folder (a store's processes), or it is removed while they still write.
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
