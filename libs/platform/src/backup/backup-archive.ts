import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import * as tar from 'tar';
import { SealedSecrets, sealSecrets, unsealSecrets, WrongPassphraseError } from './sealed-secrets';

export const BACKUP_FORMAT = 'mfm-backup/1';
const MANIFEST = 'manifest.json';
const KEYS = 'keys.sealed.json';

/** What a backup holds, written last into the archive: its files are checked against it. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  /** The store's version that wrote it. */
  app: string;
  createdAt: string;
  /** Per module: its database snapshot, its checksum and the migrations it had run. */
  modules: Record<
    string,
    {
      file: string;
      sha256: string;
      bytes: number;
      migrations: string[];
      takenAt?: string;
      /** sqlite: the module's database file; postgres: a pg_dump of its database (custom format). */
      engine?: 'sqlite' | 'postgres';
    }
  >;
  /** The keys that open the personal data, sealed under the backup passphrase; null: left out. */
  keys: { file: string; sha256: string } | null;
}

/** A backup that cannot be written or restored; the message is one line for the operator. */
export class BackupRefused extends Error {
  override readonly name = 'BackupRefused';
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const sha256 = (file: string): string => sha256Of(readFileSync(file));

/** The migrations a module's database has run, oldest first (TypeORM's own table). */
function migrationsOf(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'")
      .get();
    if (!table) return [];
    return (
      db.prepare('SELECT name FROM migrations ORDER BY id').all() as Array<{ name: string }>
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of one SQLite database, taken while writers may run: `VACUUM INTO` reads
 * it in one transaction (the write-ahead log included) and writes a compact new file.
 */
export function snapshotSqlite(source: string, target: string): void {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

export interface BackupContents {
  /** Per module, its snapshot file (taken by the caller, consistent). */
  snapshots: Record<string, string>;
  /** Modules whose snapshot is a PostgreSQL dump, with the migrations their database had run. */
  postgres?: Record<string, { migrations: string[] }>;
  /** Per module, when its snapshot was taken. */
  takenAt?: Record<string, string>;
  /** The keys the personal data needs; sealed when a passphrase is given, else left out. */
  secrets?: Record<string, string>;
  passphrase?: string;
  app: string;
}

/**
 * Writes one archive (tar.gz): each module's snapshot, the sealed keys and the manifest. The
 * archive appears under its name only once complete (written beside it, then renamed).
 */
export async function writeBackupArchive(
  out: string,
  contents: BackupContents,
): Promise<BackupManifest> {
  const staging = mkdtempSync(join(tmpdir(), 'mfm-backup-'));
  const partial = join(dirname(out), `.${basename(out)}.partial`);
  try {
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      app: contents.app,
      createdAt: new Date().toISOString(),
      modules: {},
      keys: null,
    };
    for (const [module, snapshot] of Object.entries(contents.snapshots)) {
      const dump = contents.postgres?.[module];
      const file = dump ? `${module}.pgdump` : `${module}.sqlite`;
      copyFileSync(snapshot, join(staging, file));
      const bytes = readFileSync(join(staging, file));
      manifest.modules[module] = {
        file,
        sha256: sha256Of(bytes),
        bytes: bytes.length,
        migrations: dump ? dump.migrations : migrationsOf(join(staging, file)),
        ...(contents.takenAt?.[module] && { takenAt: contents.takenAt[module] }),
        engine: dump ? 'postgres' : 'sqlite',
      };
    }
    if (contents.secrets && contents.passphrase) {
      const sealed = await sealSecrets(contents.secrets, contents.passphrase);
      writeFileSync(join(staging, KEYS), JSON.stringify(sealed));
      manifest.keys = { file: KEYS, sha256: sha256(join(staging, KEYS)) };
    }
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(dirname(out), { recursive: true });
    await tar.c({ gzip: true, file: partial, cwd: staging, portable: true }, readdirSync(staging));
    renameSync(partial, out);
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}

export interface OpenedBackup {
  manifest: BackupManifest;
  /** Where the checked files are, until `close()`. */
  dir: string;
  /** The unsealed keys; undefined when the backup holds none. */
  secrets?: Record<string, string>;
  close(): void;
}

/**
 * Opens an archive and checks everything in it before anything is used: the manifest, each
 * file's checksum, each database's integrity, that this version of the store knows every
 * migration it ran (`known`, per module), and that the passphrase opens its keys.
 */
export async function openBackupArchive(
  file: string,
  options: { passphrase?: string; known: Record<string, readonly string[]> },
): Promise<OpenedBackup> {
  if (!existsSync(file)) throw new BackupRefused(`${file}: no such backup`);
  const dir = mkdtempSync(join(tmpdir(), 'mfm-restore-'));
  const close = () => rmSync(dir, { recursive: true, force: true });
  try {
    try {
      await tar.x({ file, cwd: dir, strict: true });
    } catch (error) {
      throw new BackupRefused(`${file} is damaged: ${(error as Error).message}`);
    }
    if (!existsSync(join(dir, MANIFEST))) throw new BackupRefused(`${file} has no manifest`);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT)
      throw new BackupRefused(`${file} is not a backup of this store (${String(manifest.format)})`);
    for (const [module, entry] of Object.entries(manifest.modules)) {
      const path = join(dir, entry.file);
      if (!existsSync(path) || sha256(path) !== entry.sha256)
        throw new BackupRefused(`${file} is damaged: ${entry.file} does not match its checksum`);
      // A dump's checksum is its check here; pg_restore reads it whole, in one transaction.
      if (entry.engine !== 'postgres') {
        const db = new Database(path, { readonly: true });
        const integrity = db.pragma('integrity_check', { simple: true });
        db.close();
        if (integrity !== 'ok')
          throw new BackupRefused(`${file} is damaged: ${entry.file}: ${String(integrity)}`);
      }
      const known = new Set(options.known[module] ?? []);
      const newer = entry.migrations.filter((name) => !known.has(name));
      if (newer.length > 0)
        throw new BackupRefused(
          `${file} comes from a newer version of the store (${manifest.app}): ${module} has run ${newer.join(', ')}, which this version does not know`,
        );
    }
    let secrets: Record<string, string> | undefined;
    if (manifest.keys) {
      const path = join(dir, manifest.keys.file);
      if (!existsSync(path) || sha256(path) !== manifest.keys.sha256)
        throw new BackupRefused(`${file} is damaged: its keys do not match their checksum`);
      if (!options.passphrase)
        throw new BackupRefused(`${file} holds sealed keys: set BACKUP_PASSPHRASE to open them`);
      try {
        secrets = await unsealSecrets(
          JSON.parse(readFileSync(path, 'utf8')) as SealedSecrets,
          options.passphrase,
        );
      } catch (error) {
        if (error instanceof WrongPassphraseError)
          throw new BackupRefused(`${file}: BACKUP_PASSPHRASE does not open its keys`);
        throw error;
      }
    }
    return { manifest, dir, secrets, close };
  } catch (error) {
    close();
    throw error;
  }
}
