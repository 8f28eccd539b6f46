import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity, PrimaryColumn, QueryFailedError } from 'typeorm';
import { AppError } from '../errors/error-body';
import { declareError } from '../errors/error-codes';
import { isStorageFault } from './storage-fault';
import { StorageProbe1764400000000 } from './storage-probe.migration';
import { TransactionRunner } from './transaction-runner';

@Entity('note')
class Note {
  @PrimaryColumn('integer')
  id!: number;

  @Column('text')
  body!: string;
}

/** The parts of better-sqlite3's connection these tests use. */
interface Raw {
  inTransaction: boolean;
  pragma(sql: string, options?: { simple: boolean }): unknown;
}

/**
 * SQLite's `max_page_count` makes the file "full" on demand: the same SQLITE_FULL a full disk
 * gives, deterministically and without root. Every write goes through the real TransactionRunner
 * on a real file; a second connection then reads what is really on disk.
 */
describe('TransactionRunner when SQLite refuses writes', () => {
  let dir: string;
  let file: string;
  let dataSource: DataSource;
  let runner: TransactionRunner;
  const raw = (): Raw =>
    (dataSource.driver as unknown as { databaseConnection: Raw }).databaseConnection;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mfm-full-'));
    file = join(dir, 'notes.sqlite');
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: file,
      entities: [Note],
      migrations: [StorageProbe1764400000000],
      migrationsRun: true,
      synchronize: true,
      enableWAL: true,
    });
    await dataSource.initialize();
    runner = new TransactionRunner(dataSource, 'notes');
  });

  afterEach(async () => {
    runner.onApplicationShutdown();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Each write is two rows in one transaction: both or neither may ever be seen. */
  const write = (id: number) =>
    runner.run(async (manager) => {
      await manager.insert(Note, { id, body: 'x'.repeat(1500) });
      await manager.insert(Note, { id: id + 100_000, body: 'y'.repeat(1500) });
    });

  const fillUntilRefused = async (from: number, acknowledged: number[], refused: number[]) => {
    for (let id = from; refused.length < 3 && id < from + 500; id++) {
      try {
        await write(id);
        acknowledged.push(id);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).getStatus()).toBe(503);
        expect((error as AppError).getResponse()).toMatchObject({
          code: 'STORAGE_UNAVAILABLE',
          details: { module: 'notes', retryAfterSeconds: 5 },
        });
        refused.push(id);
      }
    }
  };

  /** What a second process would see: a fresh connection to the file. */
  const onDisk = async (): Promise<number[]> => {
    const reader = new DataSource({ type: 'better-sqlite3', database: file, readonly: true });
    await reader.initialize();
    try {
      const rows = await reader.query<Array<{ id: number }>>('SELECT id FROM note ORDER BY id');
      return rows.map((row) => row.id);
    } finally {
      await reader.destroy();
    }
  };
  const bothRows = (ids: number[]) =>
    [...ids, ...ids.map((id) => id + 100_000)].sort((a, b) => a - b);

  it('answers 503 STORAGE_UNAVAILABLE, leaves no trace of a refused write, and every acknowledged write is on disk', async () => {
    raw().pragma(
      `max_page_count = ${(raw().pragma('page_count', { simple: true }) as number) + 4}`,
    );
    const acknowledged: number[] = [];
    const refused: number[] = [];
    await fillUntilRefused(1, acknowledged, refused);

    expect(refused).toHaveLength(3);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(raw().inTransaction).toBe(false);
    expect(runner.storage).toMatchObject({
      writable: false,
      lastError: expect.stringMatching(/full/),
    });
    // Reads go on during the fault, and see exactly the acknowledged writes.
    expect(await dataSource.getRepository(Note).count()).toBe(acknowledged.length * 2);
    expect(await onDisk()).toEqual(bothRows(acknowledged));
  });

  it('takes writes again once space returns, without a restart, and they reach the disk', async () => {
    raw().pragma(
      `max_page_count = ${(raw().pragma('page_count', { simple: true }) as number) + 4}`,
    );
    const acknowledged: number[] = [];
    const refused: number[] = [];
    await fillUntilRefused(1, acknowledged, refused);
    expect(await runner.probe()).toBe(false);
    expect(runner.storage.writable).toBe(false);

    raw().pragma('max_page_count = 1073741823');
    expect(await runner.probe()).toBe(true);
    expect(runner.storage).toEqual({ writable: true });
    for (let id = 1000; id < 1020; id++) {
      await write(id);
      acknowledged.push(id);
    }

    expect(await onDisk()).toEqual(bothRows(acknowledged));
    const stored = await onDisk();
    for (const id of refused) expect(stored).not.toContain(id);
  });

  it('keeps the connection out of any transaction after a refused write, so later commits are real', async () => {
    raw().pragma(
      `max_page_count = ${(raw().pragma('page_count', { simple: true }) as number) + 2}`,
    );
    await fillUntilRefused(1, [], []);
    const queryRunner = (
      dataSource.driver as unknown as { queryRunner: { isTransactionActive: boolean } }
    ).queryRunner;
    expect(queryRunner.isTransactionActive).toBe(false);
    raw().pragma('max_page_count = 1073741823');
    await write(5000);
    // Committed means visible to another connection at once, not held in an open transaction.
    expect(await onDisk()).toContain(5000);
  });
});

describe('isStorageFault', () => {
  const sqlite = (code: string) =>
    new QueryFailedError('INSERT', [], Object.assign(new Error(code), { code }));

  it('recognises storage failures of both engines', () => {
    for (const code of [
      'SQLITE_FULL',
      'SQLITE_IOERR_WRITE',
      'SQLITE_CORRUPT',
      'SQLITE_READONLY',
      '53100',
      '58030',
      'XX001',
      '25006',
      '57P01',
      'ECONNREFUSED',
    ]) {
      expect({ code, fault: isStorageFault(sqlite(code)) }).toEqual({ code, fault: true });
    }
  });

  it('leaves statement errors alone: constraints, syntax, business errors', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', '23505', '42601', '40001']) {
      expect({ code, fault: isStorageFault(sqlite(code)) }).toEqual({ code, fault: false });
    }
    expect(isStorageFault(declareError(409, 'VERSION_CONFLICT', 'x').error())).toBe(false);
    expect(isStorageFault(new Error('boom'))).toBe(false);
  });
});
