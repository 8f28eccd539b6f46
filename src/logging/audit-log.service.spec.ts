import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { AuditLogService } from './audit-log.service';
import { ListLogsQuery } from './dto/list-logs.query';
import { AuditEvent } from './entities/audit-event.entity';
import { loggingTestDb } from './logging-test-db.spec-helper';

describe('AuditLogService (real SQLite, in memory)', () => {
  let db: DataSource;
  let log: AuditLogService;
  const actor = { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' };
  const event = (type: string, occurredAt: string, username = actor.username) => ({
    eventId: randomUUID(),
    type,
    actor: { ...actor, username },
    subject: { kind: 'user' as const, id: 'u-1', name: 'ada' },
    occurredAt,
    payload: { changes: { firstName: { from: 'A', to: 'B' } } },
  });
  const query = (q: Partial<ListLogsQuery>) => Object.assign(new ListLogsQuery(), q);

  beforeAll(async () => {
    ({ db, log } = await loggingTestDb());
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('stores an event once, however often it is delivered (also concurrently)', async () => {
    const e = event('login', '2026-01-01T10:00:00.000Z');
    const replies = await Promise.all([log.record(e), log.record(e), log.record(e)]);
    expect(replies.filter((r) => r.stored)).toHaveLength(1);
    expect(replies.every((r) => r.eventId === e.eventId)).toBe(true);
    expect(await db.getRepository(AuditEvent).countBy({ eventId: e.eventId })).toBe(1);
  });

  it('stores a batch in one go: events already stored, or repeated in the batch, are acknowledged once', async () => {
    const known = event('login', '2026-01-01T11:00:00.000Z');
    await log.record(known);
    const a = event('login', '2026-01-01T11:01:00.000Z');
    const b = event('logout', '2026-01-01T11:02:00.000Z');
    const replies = await log.recordMany([a, known, b, a]);
    expect(replies).toEqual([
      { eventId: a.eventId, stored: true },
      { eventId: known.eventId, stored: false },
      { eventId: b.eventId, stored: true },
      { eventId: a.eventId, stored: false },
    ]);
    const rows = await db.getRepository(AuditEvent).findBy({ actorUsername: actor.username });
    for (const e of [known, a, b])
      expect(rows.filter((row) => row.eventId === e.eventId)).toHaveLength(1);
    const stored = rows.find((row) => row.eventId === b.eventId);
    expect(stored).toMatchObject({
      type: 'logout',
      subjectKind: 'user',
      payload: { changes: { firstName: { from: 'A', to: 'B' } } },
    });
    expect(new Date(stored?.occurredAt ?? 0).toISOString()).toBe('2026-01-01T11:02:00.000Z');
    // The log's other tests count events: take these out again.
    await db
      .getRepository(AuditEvent)
      .delete({ eventId: In([known.eventId, a.eventId, b.eventId]) });
  });

  it('keeps actor, subject and payload, and filters by type, actor username and time range', async () => {
    await log.record(event('user_updated', '2026-01-02T10:00:00.000Z'));
    await log.record(event('user_updated', '2026-01-03T10:00:00.000Z', 'other'));
    await log.record(event('user_created', '2026-01-04T10:00:00.000Z'));

    const updated = await log.list(query({ type: 'user_updated' }));
    expect(updated.total).toBe(2);
    expect(updated.items[0]).toMatchObject({
      actorUsername: 'manager',
      subjectKind: 'user',
      subjectId: 'u-1',
      payload: { changes: { firstName: { from: 'A', to: 'B' } } },
    });
    expect((await log.list(query({ username: 'other' }))).total).toBe(1);
    expect((await log.list(query({ from: '2026-01-02T00:00:00Z' }))).total).toBe(3);
    expect((await log.list(query({ to: '2026-01-02T12:00:00Z' }))).total).toBe(2);
    const between = await log.list(
      query({ from: '2026-01-02T00:00:00Z', to: '2026-01-03T23:59:59Z' }),
    );
    expect(between.items.map((e) => new Date(e.occurredAt).toISOString())).toEqual([
      '2026-01-02T10:00:00.000Z',
      '2026-01-03T10:00:00.000Z',
    ]);
  });

  it('lists newest first with order=desc, paging from the newest', async () => {
    const oldestFirst = await log.list(query({ limit: 100 }));
    const newestFirst = await log.list(query({ limit: 100, order: 'desc' }));
    expect(newestFirst.total).toBe(oldestFirst.total);
    expect(newestFirst.items.map((e) => e.eventId)).toEqual(
      [...oldestFirst.items].reverse().map((e) => e.eventId),
    );
    const latest = await log.list(query({ limit: 1, order: 'desc' }));
    expect(new Date(latest.items[0].occurredAt).toISOString()).toBe('2026-01-04T10:00:00.000Z');
  });

  it('pages in insertion order', async () => {
    const all = await log.list(query({ limit: 100 }));
    const second = await log.list(query({ page: 2, limit: 1 }));
    expect(second.total).toBe(all.total);
    expect(second.items.map((e) => e.eventId)).toEqual([all.items[1].eventId]);
  });
});
