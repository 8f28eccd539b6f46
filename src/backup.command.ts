import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BackupRefused } from '@mfm/platform/backup/backup-archive';
import { busSnapshot } from '@mfm/platform/backup/bus-snapshot';
import {
  SnapshotSource,
  backupStore,
  localSnapshot,
  restoreStore,
} from '@mfm/platform/backup/store-backup';
import { loadBusCredentials } from '@mfm/platform/bus/bus-credentials';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { sqliteFile } from '@mfm/platform/database/module-database';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { busClient } from '@mfm/platform/rpc/rpc-clients.providers';
import type { ModuleName } from '@mfm/platform/topology/module-names';
import { loadConfig } from '@mfm/platform/config/load-config';
import { appVersion } from '@mfm/platform/health/app-version';
import { BACKUP_PLAN } from './backup-plan';
import { MODULE_SETTINGS } from './module-settings';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The value after a flag (`--out x` or `--out=x`), or undefined. */
function flag(args: readonly string[], name: string): string | undefined {
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  if (inline) return inline.slice(name.length + 1);
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/**
 * Where the snapshots come from: this machine, when it holds every module's SQLite file (or
 * reaches its PostgreSQL database); else each module's own process, over the bus, this command
 * calling as logging (the module that keeps backups) with logging's bus credentials.
 */
async function snapshotSource(
  config: AppConfig,
): Promise<{ snapshot: SnapshotSource; close: () => void }> {
  const here = BACKUP_PLAN.every(
    ({ module }) => config.modules[module].databaseUrl || existsSync(sqliteFile(config, module)),
  );
  if (here) return { snapshot: localSnapshot(config), close: () => undefined };
  say(
    `backup: not every module's data is on this machine (DATA_DIR ${config.dataDir}): asking each module's process over the bus, as logging`,
  );
  const credentials = await loadBusCredentials(config, ['logging']);
  const clients = new Map<ModuleName, RpcClient>();
  const clientOf = (module: ModuleName) => {
    let client = clients.get(module);
    if (!client) {
      client = busClient(module, config, 'logging', credentials);
      clients.set(module, client);
    }
    return client;
  };
  return {
    snapshot: busSnapshot(clientOf),
    close: () => clients.forEach((client) => client.close()),
  };
}

/**
 * `node dist/main.js backup --out <file>` (`npm run backup -- --out <file>`): one archive of the
 * store's databases, taken while it runs, with its keys sealed under BACKUP_PASSPHRASE. Exit 0
 * once written, 2 when refused (bad configuration, no store in DATA_DIR, no pg_dump for a module
 * on PostgreSQL).
 */
export async function runBackupCommand(args: readonly string[]): Promise<number> {
  const out = flag(args, '--out');
  if (!out) throw new BackupRefused('backup: say where to write it: backup --out <file>');
  const config = loadConfig(process.env, MODULE_SETTINGS);
  const { snapshot, close } = await snapshotSource(config);
  const { bytes, manifest } = await backupStore(
    config,
    BACKUP_PLAN,
    resolve(out),
    appVersion(),
    snapshot,
  ).finally(close);
  say(
    `backup: ${resolve(out)} (${bytes} bytes): ${Object.keys(manifest.modules).join(', ')}, made ${manifest.createdAt} by version ${manifest.app}`,
  );
  say(
    manifest.keys
      ? 'backup: the keys that open personal data are inside, sealed under BACKUP_PASSPHRASE: keep the passphrase apart from the backup'
      : 'backup: WITHOUT the keys that open personal data (set BACKUP_PASSPHRASE to include them sealed): keep DATA_ENCRYPTION_KEYS / data-keys.json safe separately, or names, addresses and sign-in secrets cannot be read after a restore',
  );
  return 0;
}

/**
 * `node dist/main.js restore <file> --data-dir <empty folder>`: the backup checked whole, then
 * written into the folder (and, for modules it holds as PostgreSQL dumps, into the empty
 * databases of their <MODULE>_DATABASE_URL) for a store to start on. Exit 0 when restored, 2 when
 * refused.
 */
export async function runRestoreCommand(args: readonly string[]): Promise<number> {
  const file = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--data-dir');
  const dataDir = flag(args, '--data-dir');
  if (!file || !dataDir)
    throw new BackupRefused('restore: usage: restore <backup file> --data-dir <empty folder>');
  const passphrase = process.env.BACKUP_PASSPHRASE || undefined;
  // Modules restored into PostgreSQL: their <MODULE>_DATABASE_URL, as the store will read it.
  const databaseUrls = Object.fromEntries(
    BACKUP_PLAN.map(({ module }) => [
      module,
      process.env[`${module.toUpperCase()}_DATABASE_URL`] || undefined,
    ]),
  );
  const restored = await restoreStore(
    resolve(file),
    dataDir,
    BACKUP_PLAN,
    passphrase,
    databaseUrls,
  );
  const { manifest } = restored;
  say(
    `restore: ${Object.keys(manifest.modules).join(', ')} from ${resolve(file)} (made ${manifest.createdAt} by version ${manifest.app}) into ${restored.dataDir}`,
  );
  say(
    restored.keysRestored
      ? `restore: the keys are in ${restored.dataDir}/data-keys.json; in production set DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY to its two values and remove the file`
      : 'restore: the backup holds no keys: start the store with the DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY (or the data-keys.json) it had when the backup was made',
  );
  say(
    `restore: start the store with DATA_DIR=${restored.dataDir}: it migrates the databases forward, finishes orders left open and rebuilds the search index`,
  );
  return 0;
}
