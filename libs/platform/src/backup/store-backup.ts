import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { AppConfig } from '../config/app-config';
import { DEV_KEYS_FILE } from '../crypto/data-keys';
import { sqliteFile } from '../database/module-database';
import type { ModuleName } from '../topology/module-names';
import {
  dumpPostgres,
  isEmptyDatabase,
  postgresMigrations,
  postgresTool,
  restorePostgres,
} from './postgres-dump';
import {
  BackupManifest,
  BackupRefused,
  openBackupArchive,
  snapshotSqlite,
  writeBackupArchive,
} from './backup-archive';

/** The store's ModuleBackupPlan[], bound by the entrypoint (it knows every module's schema). */
export const BACKUP_PLAN_TOKEN = 'BACKUP_PLAN';

/** One module's part of a backup, in the order the store's consistency needs (see ARCHITECTURE). */
export interface ModuleBackupPlan {
  module: ModuleName;
  /** Its migrations' names: a restore refuses a database that ran any other. */
  migrations: readonly string[];
  /** Tables other modules' data rebuild at start: kept empty in a backup. */
  derivedTables?: readonly string[];
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/** The texts of the keys that open the personal data: configured, or the development file. */
function storeKeys(config: AppConfig): Record<string, string> | undefined {
  const { encryptionKeys, indexKey } = config.dataProtection;
  if (encryptionKeys !== undefined && indexKey !== undefined) return { encryptionKeys, indexKey };
  const file = join(config.dataDir, DEV_KEYS_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/**
 * A backup of the store's databases into one archive, taken while it runs: each module's
 * snapshot is consistent in itself (SQLite: VACUUM INTO; PostgreSQL: pg_dump, one transaction),
 * and they are taken one after another in the plan's order, which is what makes the whole
 * restorable (ARCHITECTURE: backups). The keys go in sealed under BACKUP_PASSPHRASE, or not at all.
 */
export async function backupStore(
  config: AppConfig,
  plan: readonly ModuleBackupPlan[],
  out: string,
  app: string,
  snapshot: SnapshotSource = localSnapshot(config),
): Promise<BackupResult> {
  const staging = mkdtempSync(join(tmpdir(), 'mfm-snapshots-'));
  try {
    const snapshots: Record<string, string> = {};
    const takenAt: Record<string, string> = {};
    const postgres: Record<string, { migrations: string[] }> = {};
    for (const part of plan) {
      const taken = await snapshot(part, staging);
      snapshots[part.module] = taken.file;
      takenAt[part.module] = taken.takenAt;
      if (taken.postgresMigrations)
        postgres[part.module] = { migrations: taken.postgresMigrations };
    }
    const keys = storeKeys(config);
    const passphrase = config.backup.passphrase;
    const manifest = await writeBackupArchive(out, {
      snapshots,
      takenAt,
      postgres,
      secrets: passphrase ? keys : undefined,
      passphrase,
      app,
    });
    return { file: out, bytes: statSync(out).size, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** One module's snapshot, as a file in a folder of the backup's. */
export interface TakenSnapshot {
  file: string;
  takenAt: string;
  /** Set for a PostgreSQL dump: the migrations its database had run. */
  postgresMigrations?: string[];
}

/**
 * Takes one module's snapshot into `dir`: from this machine's files and database URLs
 * (`localSnapshot`), or from the process that hosts the module, over the bus.
 */
export type SnapshotSource = (part: ModuleBackupPlan, dir: string) => Promise<TakenSnapshot>;

/** Snapshots read where this process runs: the SQLite files of DATA_DIR, the PostgreSQL URLs. */
export const localSnapshot =
  (config: AppConfig): SnapshotSource =>
  async ({ module, derivedTables }, dir) => {
    const url = config.modules[module].databaseUrl;
    if (url) {
      postgresTool('pg_dump');
      const file = join(dir, `${module}.pgdump`);
      await dumpPostgres(url, file, { withoutDataOf: derivedTables });
      const takenAt = new Date().toISOString();
      return { file, takenAt, postgresMigrations: await postgresMigrations(url) };
    }
    const source = sqliteFile(config, module);
    if (!existsSync(source))
      throw new BackupRefused(
        `${source} does not exist: no store has run its ${module} module on DATA_DIR ${config.dataDir} here`,
      );
    const file = join(dir, `${module}.sqlite`);
    snapshotSqlite(source, file);
    const takenAt = new Date().toISOString();
    if (derivedTables?.length) emptyTables(file, derivedTables);
    return { file, takenAt };
  };

/** Empties tables of a snapshot (not the live database) and gives the space back. */
function emptyTables(file: string, tables: readonly string[]): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      for (const table of tables) db.prepare(`DELETE FROM "${table}"`).run();
    })();
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

/** The migrations this version knows, per module, from the plan. */
const knownOf = (plan: readonly ModuleBackupPlan[]) =>
  Object.fromEntries(plan.map(({ module, migrations }) => [module, migrations]));

/** Opens a backup and checks all of it (files, integrity, schema, passphrase); nothing is kept. */
export async function verifyBackup(
  file: string,
  plan: readonly ModuleBackupPlan[],
  passphrase: string | undefined,
): Promise<BackupManifest> {
  const opened = await openBackupArchive(file, { passphrase, known: knownOf(plan) });
  opened.close();
  return opened.manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  dataDir: string;
  /** The development keys file was written from the backup's sealed keys. */
  keysRestored: boolean;
}

/**
 * Restores a backup into an empty folder (SQLite modules) and empty databases (`databaseUrls`,
 * the modules on PostgreSQL), for a store to start on (it migrates an older schema forward).
 * Everything is checked before anything is written; a refusal writes nothing.
 */
export async function restoreStore(
  file: string,
  dataDir: string,
  plan: readonly ModuleBackupPlan[],
  passphrase: string | undefined,
  databaseUrls: Partial<Record<string, string>> = {},
): Promise<RestoreResult> {
  const target = resolve(dataDir);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0))
    throw new BackupRefused(
      `${dataDir} is not an empty folder: restore into a new one, then point DATA_DIR at it`,
    );
  const opened = await openBackupArchive(file, { passphrase, known: knownOf(plan) });
  const created = !existsSync(target);
  try {
    const modules = Object.entries(opened.manifest.modules);
    // Every PostgreSQL target checked before anything is written.
    for (const [module, entry] of modules) {
      const url = databaseUrls[module];
      const variable = `${module.toUpperCase()}_DATABASE_URL`;
      if (entry.engine === 'postgres' && !url)
        throw new BackupRefused(
          `the backup holds ${module}'s PostgreSQL database: set ${variable} to a new, empty database to restore it into`,
        );
      if (entry.engine !== 'postgres' && url)
        throw new BackupRefused(
          `the backup holds ${module}'s SQLite file, but ${variable} is set: unset it to restore the file into ${dataDir}`,
        );
      if (url && !(await isEmptyDatabase(url)))
        throw new BackupRefused(
          `${variable} is not an empty database: restore into a new one (createdb --locale=C …)`,
        );
    }
    for (const [module, entry] of modules) {
      const url = databaseUrls[module];
      if (url) await restorePostgres(join(opened.dir, entry.file), url);
    }
    mkdirSync(target, { recursive: true });
    // Into a hidden folder first, then renamed into place: a restore that stops half-way
    // leaves no store that looks complete.
    const staging = mkdtempSync(join(target, '.restoring-'));
    for (const [module, entry] of modules)
      if (entry.engine !== 'postgres')
        copyFileSync(join(opened.dir, entry.file), join(staging, `${module}.sqlite`));
    if (opened.secrets)
      writeFileSync(join(staging, DEV_KEYS_FILE), JSON.stringify(opened.secrets), { mode: 0o600 });
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(target, name));
    rmSync(staging, { recursive: true, force: true });
    return { manifest: opened.manifest, dataDir: target, keysRestored: Boolean(opened.secrets) };
  } catch (error) {
    if (created) rmSync(target, { recursive: true, force: true });
    else if (existsSync(target))
      for (const name of readdirSync(target)) rmSync(join(target, name), { recursive: true });
    throw error;
  } finally {
    opened.close();
  }
}
