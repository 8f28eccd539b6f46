import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { AbstractLogger, DataSource, LogLevel } from 'typeorm';
import type { UsersClient } from '@mfm/contracts/users.contract';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { AuditLogService } from './audit-log.service';
import { LoggingClassicAdapter } from './classic/logging-classic.adapter';
import { ListLogsQuery } from './dto/list-logs.query';
import { AuditEvent } from './entities/audit-event.entity';
import { loggingTestDb } from './logging-test-db.spec-helper';

/** Keeps the SELECTs the log runs, to ask SQLite how it would run them. */
class SelectRecorder extends AbstractLogger {
  readonly selects: Array<[string, unknown[]]> = [];
  protected writeLog(): void {}
  override logQuery(query: string, parameters?: unknown[]): void {
    if (/^\s*SELECT/i.test(query)) this.selects.push([query, parameters ?? []]);
  }
}

const PEOPLE = ['Customer', 'manager', 'olga'];
const PRODUCT = '00000000-0000-4000-8000-00000000000a';

describe('audit log queries (real SQLite, in memory)', () => {
  let db: DataSource;
  let log: AuditLogService;
  let recorder: SelectRecorder;
  const query = (fields: Record<string, unknown>) =>
    plainToInstance(ListLogsQuery, fields, { exposeDefaultValues: true });

  beforeAll(async () => {
    recorder = new SelectRecorder();
    ({ db, log } = await loggingTestDb({ logging: ['query'] as LogLevel[], logger: recorder }));
    const types = ['login', 'search', 'product_updated', 'order_placed'];
    await log.recordMany(
      Array.from({ length: 400 }, (_, n) => ({
        eventId: randomUUID(),
        type: types[n % 4],
        actor: { userId: `00000000-0000-4000-8000-00000000000${n % 3}`, username: PEOPLE[n % 3] },
        subject:
          n % 4 === 2
            ? { kind: 'product' as const, id: PRODUCT, name: 'Whole Milk 1 l' }
            : { kind: 'search' as const, id: 'catalogue', name: 'milk' },
        // Ten events share each instant: the order falls back to arrival (seq).
        occurredAt: new Date(Date.UTC(2026, 5, 1, 0, Math.floor(n / 10))).toISOString(),
      })),
    );
  });

  afterAll(async () => {
    await db.destroy();
  });

  const plansOfSelects = async (run: () => Promise<unknown>) => {
    recorder.selects.length = 0;
    await run();
    const plans: string[] = [];
    for (const [sql, params] of [...recorder.selects]) {
      const rows = await db.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, params);
      plans.push(rows.map((row) => row.detail).join(' | '));
    }
    return plans;
  };

  const filters: Array<[string, Record<string, unknown>, string | undefined, RegExp]> = [
    ['username', { username: 'CUSTOMER' }, undefined, /IDX_audit_event_actor_name/],
    ['own events', {}, '00000000-0000-4000-8000-000000000001', /IDX_audit_event_actor_id/],
    ['productId', { productId: PRODUCT }, undefined, /IDX_audit_event_subject_time/],
    ['productName', { productName: 'whole milk 1 L' }, undefined, /IDX_audit_event_subject_name/],
    ['no filter', {}, undefined, /IDX_audit_event_time/],
  ];

  const withOrders = filters.flatMap(([name, fields, actorUserId, index]) =>
    (['asc', 'desc'] as const).map((order) => [name, fields, actorUserId, index, order] as const),
  );

  it.each(withOrders)(
    'by %s reads its index in the log order (%o, %s, %s, %s)',
    async (_name, fields, actorUserId, index, order) => {
      const first = await log.list(query({ ...fields, order, limit: 7 }), actorUserId);
      const plans = await plansOfSelects(() =>
        log.list(
          query({ ...fields, order, limit: 7, page: 2, cursor: first.nextCursor }),
          actorUserId,
        ),
      );
      expect(plans.length).toBeGreaterThanOrEqual(2); // the count and the page
      for (const plan of plans) {
        expect(plan).not.toMatch(/TEMP B-TREE|SCAN audit_event$|SCAN e$/);
        expect(plan).toMatch(index);
      }
    },
  );

  it.each(filters)(
    'walking the cursors by %s gives the pages the page numbers give',
    async (_name, fields, actorUserId) => {
      for (const order of ['asc', 'desc'] as const) {
        const byOffset: number[] = [];
        const byCursor: number[] = [];
        let cursor: string | undefined;
        let total: number | undefined;
        for (let page = 1; ; page++) {
          const offset = await log.list(query({ ...fields, order, page, limit: 9 }), actorUserId);
          const keyset = await log.list(
            query({ ...fields, order, page, limit: 9, cursor }),
            actorUserId,
          );
          byOffset.push(...offset.items.map((e) => e.seq));
          byCursor.push(...keyset.items.map((e) => e.seq));
          total = keyset.total;
          if (!keyset.nextCursor) break;
          cursor = keyset.nextCursor;
        }
        expect(byCursor).toEqual(byOffset);
        expect(byCursor.length).toBe(total);
        expect(total).toBeGreaterThan(9);
        const sorted = [...byCursor].sort((a, b) => (order === 'asc' ? a - b : b - a));
        expect(byCursor).toEqual(sorted); // same instant: arrival order
      }
    },
  );

  it('classic view_log of one user reads the actor index in order', async () => {
    const users = {
      verifyClassicToken: async () => ({
        userId: '00000000-0000-4000-8000-000000000000',
        username: 'customer',
        role: 'customer',
      }),
    } as unknown as UsersClient;
    const classic = new LoggingClassicAdapter(
      db.getRepository(AuditEvent),
      users,
      new TransactionRunner(db, 'logging'),
    );
    let answer: Record<string, unknown> = {};
    const plans = await plansOfSelects(async () => {
      answer = await classic.viewLog({ fields: { username: 'customer' }, token: 't' } as never);
    });
    expect(answer.status).toBe(1);
    // Every third event is Customer's, and the classic log shows all four types.
    expect(Object.keys(answer.data as object).length).toBe(134);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatch(/IDX_audit_event_actor_name/);
    expect(plans[0]).not.toMatch(/TEMP B-TREE/);
  });
});
