import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small RAM file system of the test's own, so a test can fill a disk and free it again.
 * Mounting needs root (CI runs as root) or password-less sudo.
 */
export function mountTmpfs(dir: string, size: string, { readOnly = false } = {}): void {
  const args = ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', dir];
  const asRoot = process.getuid?.() === 0;
  const run = asRoot ? spawnSync('mount', args) : spawnSync('sudo', ['-n', 'mount', ...args]);
  if (run.status !== 0) {
    throw new Error(
      `Cannot mount a tmpfs at ${dir} (${String(run.stderr).trim() || run.error?.message}). ` +
        'This test fills a disk for real: run it as root or with password-less sudo.',
    );
  }
}

export function unmount(dir: string): void {
  const args = ['-l', dir];
  if (process.getuid?.() === 0) spawnSync('umount', args);
  else spawnSync('sudo', ['-n', 'umount', ...args]);
}

/** Bytes a non-root writer can still use on the file system of `dir`. */
export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Fills the file system of `dir` with a ballast file until at most `leave` bytes are free. */
export function fillDisk(dir: string, leave: number): string {
  const ballast = join(dir, 'ballast.bin');
  const fd = openSync(ballast, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0xab);
  try {
    for (let free = freeBytes(dir); free > leave; free = freeBytes(dir)) {
      writeSync(fd, chunk, 0, Math.min(chunk.length, Math.max(free - leave, 4096)));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return ballast;
}

export function freeDisk(ballast: string): void {
  unlinkSync(ballast);
}
