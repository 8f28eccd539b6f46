import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  BackupRefused,
  openBackupArchive,
  snapshotSqlite,
  writeBackupArchive,
} from './backup-archive';

const PASSPHRASE = 'a long passphrase for the shop';
const KNOWN = { orders: ['OrdersInitial1', 'OrdersTotals2'] };

// Each seal and unseal stretches the passphrase with argon2id at a backup's full cost, on
// purpose: a shared 2-core machine may take seconds for the few each test makes.
jest.setTimeout(60_000);

describe('backup archives', () => {
  const temp = { dir: '' };
  beforeEach(() => {
    temp.dir = mkdtempSync(join(tmpdir(), 'mfm-backup-spec-'));
  });
  afterEach(() => {
    rmSync(temp.dir, { recursive: true, force: true });
  });

  /** A module's live database in WAL mode, its last rows still in the write-ahead log. */
  const liveDatabase = (migrations: string[]): Database.Database => {
    const db = new Database(join(temp.dir, 'orders.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE migrations (id INTEGER PRIMARY KEY, timestamp INTEGER, name TEXT)');
    for (const [i, name] of migrations.entries())
      db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(i, name);
    db.exec('CREATE TABLE "order" (id TEXT PRIMARY KEY, total INTEGER)');
    for (let i = 0; i < 50; i++) db.prepare('INSERT INTO "order" VALUES (?, ?)').run(`o${i}`, i);
    return db;
  };

  const backup = async (options: { passphrase?: string; migrations?: string[] } = {}) => {
    const live = liveDatabase(options.migrations ?? KNOWN.orders);
    const snapshot = join(temp.dir, 'orders.snapshot');
    snapshotSqlite(join(temp.dir, 'orders.sqlite'), snapshot);
    live.close();
    const file = join(temp.dir, 'backup.tar.gz');
    const manifest = await writeBackupArchive(file, {
      snapshots: { orders: snapshot },
      secrets: { DATA_INDEX_KEY: 'aW5kZXgta2V5' },
      passphrase: options.passphrase,
      app: '1.2.3',
    });
    return { file, manifest };
  };

  const refusal = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof BackupRefused) return error.message;
      throw error;
    }
    throw new Error('the backup was accepted');
  };

  it('holds a consistent snapshot (write-ahead log included), its migrations and the sealed keys', async () => {
    const { file, manifest } = await backup({ passphrase: PASSPHRASE });
    expect(manifest).toMatchObject({
      format: 'mfm-backup/1',
      app: '1.2.3',
      modules: { orders: { file: 'orders.sqlite', migrations: KNOWN.orders } },
      keys: { file: 'keys.sealed.json' },
    });
    const opened = await openBackupArchive(file, { passphrase: PASSPHRASE, known: KNOWN });
    try {
      expect(opened.manifest).toEqual(manifest);
      expect(opened.secrets).toEqual({ DATA_INDEX_KEY: 'aW5kZXgta2V5' });
      const db = new Database(join(opened.dir, 'orders.sqlite'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM "order"').get()).toEqual({ n: 50 });
      db.close();
    } finally {
      opened.close();
    }
    // The keys are in the archive only sealed.
    expect(readFileSync(file).includes(Buffer.from('aW5kZXgta2V5'))).toBe(false);
  });

  it('leaves the keys out without a passphrase', async () => {
    const { file, manifest } = await backup();
    expect(manifest.keys).toBeNull();
    const opened = await openBackupArchive(file, { known: KNOWN });
    expect(opened.secrets).toBeUndefined();
    opened.close();
  });

  it('refuses a damaged archive, a wrong or missing passphrase and a newer schema', async () => {
    const { file } = await backup({ passphrase: PASSPHRASE });
    expect(await refusal(openBackupArchive(file, { passphrase: 'wrong', known: KNOWN }))).toMatch(
      /BACKUP_PASSPHRASE does not open its keys/,
    );
    expect(await refusal(openBackupArchive(file, { known: KNOWN }))).toMatch(
      /holds sealed keys: set BACKUP_PASSPHRASE/,
    );
    expect(
      await refusal(
        openBackupArchive(file, { passphrase: PASSPHRASE, known: { orders: ['OrdersInitial1'] } }),
      ),
    ).toMatch(/newer version of the store \(1\.2\.3\): orders has run OrdersTotals2/);

    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    const damaged = join(temp.dir, 'damaged.tar.gz');
    writeFileSync(damaged, bytes);
    expect(
      await refusal(openBackupArchive(damaged, { passphrase: PASSPHRASE, known: KNOWN })),
    ).toMatch(/damaged/);
  });
});
