import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './compose';

/**
 * CI and the image install with a plain `npm ci`, which refuses a lock file that does not match
 * package.json or that lacks a platform package some other machine would install. Both are
 * checked here, so a lock file written on one platform, or not updated with package.json, fails
 * a test instead of a newcomer's first install.
 */

interface LockEntry {
  version?: string;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

describe('package-lock.json', () => {
  it('is what npm ci installs from: in sync with package.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfm-lock-'));
    try {
      for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
        if (existsSync(join(ROOT, file))) copyFileSync(join(ROOT, file), join(dir, file));
      }
      const run = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const errors = `${run.stdout}\n${run.stderr}`
        .split('\n')
        .filter((line) => /^npm error +(Missing|Invalid):/.test(line));
      expect({ status: run.status, errors }).toEqual({ status: 0, errors: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('holds every platform binary of every package that ships them, not only this machine’s', () => {
    const locked = new Set(
      Object.keys(lock.packages).map((path) => path.replace(/^.*node_modules\//, '')),
    );
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!locked.has(name)) missing.push(`${name} (optional dependency of ${path})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
