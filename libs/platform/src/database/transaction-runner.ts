import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { dialectOf, placeholder } from './dialect';
import { isStorageFault, storageUnavailable } from './storage-fault';
import { STORAGE_PROBE_TABLE } from './storage-probe.migration';

/** Whether a module's storage takes writes, as its last write (or probe) found. */
export interface StorageState {
  writable: boolean;
  /** When writes started failing (ISO time), while they fail. */
  failingSince?: string;
  lastError?: string;
}

/** What TypeORM's better-sqlite3 driver keeps of its one connection and its one query runner. */
interface SqliteDriverState {
  databaseConnection?: { inTransaction: boolean; exec(sql: string): unknown };
  queryRunner?: { isTransactionActive: boolean; transactionDepth: number };
}

const PROBE_INTERVAL_MS = 5000;
/** At most this many transactions share one commit. */
const GROUP_LIMIT = 64;

interface Queued {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
/**
 * Bigger than any usual write, so that a probe that succeeds means ordinary writes fit again
 * (a failed transaction leaves some space behind in the write-ahead log that a small write would
 * reuse, which says little about the next one).
 */
const PROBE_FILLER = 'x'.repeat(64 * 1024);

/**
 * Runs write transactions one after another, and keeps the connection sane when storage fails.
 *
 * The queue: TypeORM's SQLite drivers share one connection and do not queue transactions
 * (measured: 49 of 50 parallel transactions failed with "cannot start a transaction within a
 * transaction"). Every write of a module goes through this.
 *
 * Storage faults: when SQLite refuses a write (disk full, I/O error, …) it may roll the
 * transaction back on its own; TypeORM's ROLLBACK then fails and TypeORM still believes a
 * transaction is open, so every later "transaction" became a savepoint inside a transaction that
 * never commits — answered 2xx, never written. After any failed transaction the connection is
 * therefore brought back to a known state (rolled back, TypeORM's bookkeeping reset, reopened if
 * that is not enough), and a storage fault answers 503 STORAGE_UNAVAILABLE. Writes are tried
 * again as they come, and a background probe notices when storage takes writes again, so the
 * module recovers without a restart.
 */
export class TransactionRunner implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly queue: Queued[] = [];
  private draining = false;
  private fault?: { since: Date; error: string };
  private probeTimer?: NodeJS.Timeout;
  /**
   * Grows when a write transaction of this process ends (committed or not). Reads that cache
   * something derived from the data (the catalogue's counts) keep it only while this is unchanged.
   */
  writes = 0;

  constructor(
    private readonly dataSource: DataSource,
    readonly module: string = 'database',
  ) {
    this.logger = new Logger(`Storage:${module}`);
  }

  /**
   * Queues a write transaction. On SQLite the transactions waiting while one commits run together
   * as one group (group commit): one BEGIN, each in its own savepoint (a failing one is rolled
   * back alone and fails alone), one COMMIT, so one fsync serves the group. Each caller's promise
   * settles only after that COMMIT: `synchronous = FULL` keeps its promise, an acknowledged write
   * is on disk. On PostgreSQL each transaction stays its own.
   */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = new Promise<T>((resolve, reject) =>
      this.queue.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
      }),
    );
    const ended = () => void this.writes++;
    void result.then(ended, ended);
    if (!this.draining) {
      this.draining = true;
      // On SQLite the group starts once the event loop has run the I/O callbacks already
      // due: the writes of requests that arrived together then share one commit. Without the
      // wait the first write of a burst committed alone, and every group stayed small.
      if (this.grouped) setImmediate(() => void this.drain());
      else void this.drain();
    }
    return result;
  }

  private get grouped(): boolean {
    return dialectOf(this.dataSource) === 'sqlite';
  }

  /** Runs the queue, first in first out, in groups on SQLite; the queue moves on after failures. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.grouped ? GROUP_LIMIT : 1);
        if (group.length === 1) {
          const [one] = group;
          await this.attempt(one.work).then(one.resolve, one.reject);
        } else {
          await this.attemptGroup(group);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async attemptGroup(group: Queued[]): Promise<void> {
    type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
    let outcomes: Outcome[];
    try {
      outcomes = await this.attempt(async (manager) => {
        const done: Outcome[] = [];
        for (const item of group) {
          try {
            done.push({ ok: true, value: await manager.transaction((inner) => item.work(inner)) });
          } catch (error) {
            // Storage failing fails the whole group (SQLite may have rolled all of it back).
            if (isStorageFault(error)) throw error;
            done.push({ ok: false, error });
          }
        }
        return done;
      });
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  get storage(): StorageState {
    if (!this.fault) return { writable: true };
    return {
      writable: false,
      failingSince: this.fault.since.toISOString(),
      lastError: this.fault.error,
    };
  }

  /** A small committed write: true when the storage takes writes (again). */
  async probe(): Promise<boolean> {
    try {
      await this.run(async (manager) => {
        await manager.query(`DELETE FROM ${STORAGE_PROBE_TABLE}`);
        await manager.query(
          `INSERT INTO ${STORAGE_PROBE_TABLE} ("id", "filler") VALUES (1, ${placeholder(manager, 1)})`,
          [PROBE_FILLER],
        );
      });
      return true;
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.probeTimer);
  }

  private async attempt<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    await this.ensureNoOpenTransaction();
    let result: T;
    try {
      result = await this.dataSource.transaction(work);
    } catch (error) {
      await this.ensureNoOpenTransaction();
      if (!isStorageFault(error)) throw error;
      this.failing(error as Error);
      throw storageUnavailable(this.module);
    }
    if (this.fault) this.recovered();
    return result;
  }

  /**
   * SQLite only (PostgreSQL gives every transaction its own pooled connection and ends a
   * transaction whose COMMIT failed): no transaction may stay open between two runs.
   */
  private async ensureNoOpenTransaction(): Promise<void> {
    if (!this.dataSource.isInitialized || dialectOf(this.dataSource) !== 'sqlite') return;
    const { databaseConnection: db, queryRunner } = this.dataSource
      .driver as unknown as SqliteDriverState;
    if (db?.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch (error) {
        this.logger.error({ msg: 'ROLLBACK failed', error: (error as Error).message });
      }
    }
    if (queryRunner && (queryRunner.isTransactionActive || queryRunner.transactionDepth !== 0)) {
      queryRunner.isTransactionActive = false;
      queryRunner.transactionDepth = 0;
    }
    if (db?.inTransaction) {
      // Still inside a transaction SQLite would not roll back: close the connection (which
      // rolls it back) and open a fresh one, before the next write of the queue.
      this.logger.error({ msg: 'reopening the database connection after a failed rollback' });
      await this.dataSource.destroy();
      await this.dataSource.initialize();
    }
  }

  private failing(error: Error): void {
    const message = error.message.slice(0, 300);
    if (!this.fault) {
      this.logger.error({
        msg: 'storage refuses writes; answering 503 until it recovers',
        error: message,
      });
      this.probeTimer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
      this.probeTimer.unref();
    }
    this.fault = { since: this.fault?.since ?? new Date(), error: message };
  }

  private recovered(): void {
    this.logger.warn({ msg: 'storage takes writes again', failingSince: this.fault?.since });
    this.fault = undefined;
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }
}
