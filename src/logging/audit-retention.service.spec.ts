import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@mfm/platform/config/app-config';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { AuditLogService } from './audit-log.service';
import { AuditRetentionService } from './audit-retention.service';
import { AuditEvent } from './entities/audit-event.entity';
import { loggingTestDb } from './logging-test-db.spec-helper';

describe('AuditRetentionService (real SQLite, in memory)', () => {
  let db: DataSource;
  let log: AuditLogService;
  const now = new Date('2026-06-30T12:00:00.000Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const event = (type: string, occurredAt: string) => ({
    eventId: randomUUID(),
    type,
    actor: { userId: '00000000-0000-4000-8000-0000000000aa', username: 'customer' },
    subject: { kind: 'search' as const, id: 'catalogue', name: 'milk' },
    occurredAt,
  });
  const retention = (retentionDays: Record<string, number>) =>
    new AuditRetentionService(
      { audit: { retentionDays } } as unknown as AppConfig,
      new TransactionRunner(db, 'logging'),
    );
  const remaining = async () =>
    (await db.getRepository(AuditEvent).find({ order: { seq: 'ASC' } })).map(
      (e) => `${e.type}@${e.occurredAt.toISOString().slice(0, 10)}`,
    );

  beforeEach(async () => {
    ({ db, log } = await loggingTestDb());
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('drops events of a type past its retention, and keeps newer ones and every other type', async () => {
    await log.recordMany([
      event('search', daysAgo(45)),
      event('search', daysAgo(31)),
      event('search', daysAgo(29)),
      event('product_updated', daysAgo(400)),
      event('order_placed', daysAgo(45)),
    ]);

    expect(await retention({ search: 30 }).prune(now)).toBe(2);

    expect(await remaining()).toEqual([
      `search@${daysAgo(29).slice(0, 10)}`,
      `product_updated@${daysAgo(400).slice(0, 10)}`,
      `order_placed@${daysAgo(45).slice(0, 10)}`,
    ]);
  });

  it('prunes in batches until nothing old is left, and 0 days keeps a type forever', async () => {
    await log.recordMany(Array.from({ length: 2500 }, () => event('search', daysAgo(10))));
    expect(await retention({ search: 0 }).prune(now)).toBe(0);
    expect(await retention({ search: 7, login: 1 }).prune(now)).toBe(2500);
    expect(await remaining()).toEqual([]);
  });

  it('prunes on its own in the background from the start, with the configured retention', async () => {
    await log.recordMany([
      event('search', daysAgo(400)),
      event('search', new Date().toISOString()),
    ]);
    const service = retention({ search: 30 });
    service.onApplicationBootstrap();
    await service.onApplicationShutdown(); // waits for the run that start began
    expect((await remaining()).map((e) => e.split('@')[0])).toEqual(['search']);
    expect(await db.getRepository(AuditEvent).count()).toBe(1);
  });

  it('uses an index on (type, time), not a scan of the whole log', async () => {
    const plan = await db.query<Array<{ detail: string }>>(
      `EXPLAIN QUERY PLAN SELECT seq FROM audit_event WHERE type = ? AND occurredAt < ? ORDER BY seq LIMIT 1000`,
      ['search', daysAgo(30)],
    );
    expect(plan.map((row) => row.detail).join('\n')).toMatch(
      /USING (COVERING )?INDEX IDX_audit_event_type_time/,
    );
  });
});
