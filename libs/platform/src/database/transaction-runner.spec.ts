import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AbstractLogger, Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { TransactionRunner } from './transaction-runner';

@Entity('line')
class Line {
  @PrimaryColumn('integer')
  id!: number;

  @Column('text')
  label!: string;
}

@Entity('counter')
class Counter {
  @PrimaryColumn('varchar')
  name!: string;

  @Column('integer')
  value!: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TransactionRunner on a real SQLite file (better-sqlite3)', () => {
  let dir: string;
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mfm-tx-'));
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'test.sqlite'),
      entities: [Line, Counter],
      synchronize: true,
      enableWAL: true,
    });
    await dataSource.initialize();
    await dataSource.getRepository(Counter).insert({ name: 'n', value: 0 });
    runner = new TransactionRunner(dataSource);
  });

  afterEach(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A read-then-write transaction that yields between its statements, as real handlers do. */
  const work = (id: number, fail = false) =>
    runner.run(async (manager) => {
      await manager.insert(Line, { id, label: `line ${id}` });
      const counter = await manager.findOneByOrFail(Counter, { name: 'n' });
      await tick();
      await manager.update(Counter, { name: 'n' }, { value: counter.value + 1 });
      if (fail) throw new Error(`transaction ${id} fails`);
      return id;
    });

  it('commits 50 parallel transactions, each seeing the one before it', async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => work(i + 1)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await dataSource.getRepository(Line).count()).toBe(50);
    // No lost update: every read-then-write saw the previous commit.
    expect((await dataSource.getRepository(Counter).findOneByOrFail({ name: 'n' })).value).toBe(50);
  });

  it('rolls back only the transaction that fails, and the queue goes on', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => work(i + 1, i + 1 === 25)),
    );
    const rejected = results
      .map((r, i) => (r.status === 'rejected' ? i + 1 : null))
      .filter((i) => i !== null);
    expect(rejected).toEqual([25]);
    expect((results[24] as PromiseRejectedResult).reason).toEqual(
      new Error('transaction 25 fails'),
    );
    expect(results[49]).toEqual({ status: 'fulfilled', value: 50 });

    const ids = (await dataSource.getRepository(Line).find({ order: { id: 'ASC' } })).map(
      (line) => line.id,
    );
    expect(ids).toHaveLength(49);
    expect(ids).not.toContain(25);
    // The failed transaction's counter increment was rolled back with its row.
    expect((await dataSource.getRepository(Counter).findOneByOrFail({ name: 'n' })).value).toBe(49);
  });

  it('runs transactions in the order they were asked for', async () => {
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runner.run(async (manager) => {
          order.push(i);
          await manager.insert(Line, { id: i + 1, label: 'x' });
          await tick();
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('returns the value of the work, and a later transaction still runs after a failure', async () => {
    await expect(runner.run(() => Promise.reject(new Error('first fails')))).rejects.toThrow(
      'first fails',
    );
    await expect(
      runner.run(
        async (manager) => (await manager.insert(Line, { id: 7, label: 'after' })) && 'done',
      ),
    ).resolves.toBe('done');
    expect(await dataSource.getRepository(Line).findOneBy({ id: 7 })).toMatchObject({
      label: 'after',
    });
  });

  it('commits a burst in groups (far fewer COMMITs than transactions), each answered once on disk', async () => {
    const statements: string[] = [];
    class Recorder extends AbstractLogger {
      protected writeLog(): void {}
      override logQuery(query: string): void {
        statements.push(query);
      }
    }
    const logged = new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'grouped.sqlite'),
      entities: [Line, Counter],
      synchronize: true,
      enableWAL: true,
      logging: ['query'],
      logger: new Recorder(),
    });
    await logged.initialize();
    await logged.getRepository(Counter).insert({ name: 'n', value: 0 });
    const grouped = new TransactionRunner(logged);
    // Another connection: what it reads is what is committed.
    const reader = new Database(join(dir, 'grouped.sqlite'), { readonly: true });
    const committed = (id: number) => reader.prepare('SELECT id FROM line WHERE id = ?').get(id);
    statements.length = 0;
    try {
      const seen = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          grouped
            .run(async (manager) => {
              await manager.insert(Line, { id: i + 1, label: `line ${i + 1}` });
              await tick();
            })
            .then(() => committed(i + 1)),
        ),
      );
      expect(seen.every((row) => row !== undefined)).toBe(true);
      const commits = statements.filter((sql) => sql === 'COMMIT').length;
      expect(commits).toBeGreaterThanOrEqual(1);
      expect(commits).toBeLessThanOrEqual(40 / 4);
      expect(grouped.writes).toBe(40);
    } finally {
      reader.close();
      await logged.destroy();
    }
  });
});
