import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { diskFullMessage, isDiskFull } from '../startup/startup-error';
import { createFolder } from './create-folder';

/**
 * A data folder this process may not use: another process already serves one of the modules
 * from it, or the folder cannot be created or written. The message is one line for the operator.
 */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

/** The lock file of one module's SQLite data: `<DATA_DIR>/<module>.lock`. */
export const moduleLockFile = (dataDir: string, module: string): string =>
  join(dataDir, `${module}.lock`);

/** Held for the life of the process; `release()` is for tests, exit releases it anyway. */
export interface DataDirLock {
  release(): void;
}

/** Locks stay referenced here, so a garbage-collected handle can never drop one early. */
const held = new Set<Database.Database>();

/**
 * Takes, for each module, an exclusive lock on `<DATA_DIR>/<module>.lock`, so only one process
 * at a time runs a module on its SQLite files: a second one would otherwise start, then fail with
 * "database is locked" and serve stale reads. The lock is SQLite's own (an fcntl write lock on
 * the lock file, held by a transaction that never ends), so the kernel drops it the moment the
 * process dies, even by kill -9: a restart never finds a stale lock, as it could with a PID file.
 * Locks are per module, not per folder, so processes hosting different modules may share one.
 * The lock files stay on disk: removing one while another process waits on it would let two in.
 */
export function lockDataDir(dataDir: string, modules: readonly string[]): DataDirLock {
  const dir = resolve(dataDir);
  ensureWritable(dir, modules);
  const taken: Database.Database[] = [];
  const release = () => {
    for (const db of taken.splice(0)) {
      held.delete(db);
      db.close();
    }
  };
  try {
    for (const module of modules) taken.push(lockModule(dir, module));
  } catch (error) {
    release();
    throw error;
  }
  taken.forEach((db) => held.add(db));
  return { release };
}

function lockModule(dir: string, module: string): Database.Database {
  const file = moduleLockFile(dir, module);
  try {
    // Created through fs first: SQLite would quietly open an unwritable file read-only.
    closeSync(openSync(file, 'a'));
  } catch (error) {
    throw unusable(dir, [module], error);
  }
  // No busy timeout: a lock held elsewhere is a refusal now, not a wait.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // Nothing is ever written: no journal file next to the lock.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirError(
        `DATA_DIR ${dir}: the ${module} module is already running on this folder in another process (${module}.lock is held). ` +
          `Stop that process first, or start this one with another DATA_DIR or without ${module} in --service/SERVICE.`,
      );
    }
    throw unusable(dir, [module], error);
  }
}

function ensureWritable(dir: string, modules: readonly string[]): void {
  try {
    createFolder(dir);
  } catch (error) {
    throw new DataDirError(
      `DATA_DIR ${dir} cannot be created for ${modules.join(', ')} (${describe(error)}). ` +
        'Set DATA_DIR to a folder this process can create and write.',
    );
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw unusable(dir, modules, error);
  }
}

function unusable(dir: string, modules: readonly string[], error: unknown): DataDirError {
  if (isDiskFull(error)) return new DataDirError(diskFullMessage(modules, dir, error));
  return new DataDirError(
    `DATA_DIR ${dir} is not writable for ${modules.join(', ')} (${describe(error)}). ` +
      'Give this process write access to the folder, or set DATA_DIR to one it can write.',
  );
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(error);
  return (typeof e?.code === 'string' && !text.startsWith(e.code) ? `${e.code}: ` : '') + text;
}
