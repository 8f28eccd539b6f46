import { DataSource } from 'typeorm';
import { RequestContext } from '@mfm/platform/context/request-context';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { OUTBOX_MESSAGES, type Outbox } from '@mfm/contracts/outbox';
import { Outbox as PlatformOutbox } from '@mfm/platform/outbox/outbox';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import type { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { OutboxClaims1764700000000 } from '@mfm/platform/outbox/outbox-claims.migration';
import { SearchInitial1763900000003 } from './migrations/1763900000003-search-initial';
import { SearchEventBatcher } from './search-events.batcher';

describe('SearchEventBatcher (real SQLite outbox, in memory)', () => {
  let db: DataSource;
  let runner: TransactionRunner;
  let outbox: Outbox;

  beforeEach(async () => {
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [OutboxMessage],
      migrations: [SearchInitial1763900000003, OutboxClaims1764700000000],
      migrationsRun: true,
    });
    await db.initialize();
    runner = new TransactionRunner(db, 'search');
    // The log never answers: a search must not wait for it.
    const silent = {
      send: () => new Promise(() => undefined),
    } as unknown as RpcClient;
    outbox = new PlatformOutbox('search', db.getRepository(OutboxMessage), runner, () => silent, {
      messages: OUTBOX_MESSAGES,
    });
  });

  afterEach(async () => {
    runner.onApplicationShutdown();
    await db.destroy();
  });

  const event = (n: number) => ({
    type: 'search',
    actor: { userId: '00000000-0000-4000-8000-000000000001', username: 'customer' },
    subject: { kind: 'search' as const, id: 'catalogue', name: `milk ${n}` },
    payload: { q: `milk ${n}` },
  });

  it('commits a burst of searches in a few transactions, each event with its own request id, without waiting for the log', async () => {
    const batcher = new SearchEventBatcher(outbox);
    const writesBefore = runner.writes;
    await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        RequestContext.run({ requestId: `search-${n}` }, () => batcher.record(event(n))),
      ),
    );
    const rows = await db.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC' } });
    const bodies = rows.map(
      (row) => JSON.parse(row.body) as { requestId: string; subject: { name: string } },
    );
    expect(bodies).toHaveLength(40);
    expect(new Set(bodies.map((b) => b.requestId))).toEqual(
      new Set(Array.from({ length: 40 }, (_, n) => `search-${n}`)),
    );
    for (const body of bodies)
      expect(body.subject.name).toBe(`milk ${body.requestId.slice('search-'.length)}`);
    // One group for the burst (a second only if some arrived while it committed).
    expect(runner.writes - writesBefore).toBeLessThanOrEqual(2);
    // Nobody waited for the log's answer (it never comes): nothing is marked delivered.
    expect(rows.every((row) => row.deliveredAt === null)).toBe(true);
  });

  it('fails the searches of a group whose commit fails, and commits the next group', async () => {
    let attempts = 0;
    const failingOnce = {
      write: (...args: Parameters<Outbox['write']>) =>
        attempts++ === 0 ? Promise.reject(new Error('disk full')) : outbox.write(...args),
    } as unknown as Outbox;
    const batcher = new SearchEventBatcher(failingOnce);
    await expect(batcher.record(event(1))).rejects.toThrow('disk full');
    await expect(batcher.record(event(2))).resolves.toBeUndefined();
    const rows = await db.getRepository(OutboxMessage).find();
    expect(
      rows.map((row) => (JSON.parse(row.body) as { subject: { name: string } }).subject.name),
    ).toEqual(['milk 2']);
  });
});
