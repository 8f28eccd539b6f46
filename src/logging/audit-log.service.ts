import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  AuditEventInput,
  LastModifiedReply,
  RecordAuditReply,
} from '@mfm/contracts/logging.contract';
import { placeholder } from '@mfm/platform/database/dialect';
import { openCursor, sealCursor } from '@mfm/platform/http/page-cursor';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { ListLogsQuery } from './dto/list-logs.query';
import { AuditEvent } from './entities/audit-event.entity';

@Injectable()
export class AuditLogService {
  constructor(
    @InjectRepository(AuditEvent, 'logging') private readonly events: Repository<AuditEvent>,
    @Inject(transactionRunnerToken('logging')) private readonly tx: TransactionRunner,
  ) {}

  /** Idempotent on eventId: a redelivered event is acknowledged and stored once. */
  async record(event: AuditEventInput): Promise<RecordAuditReply> {
    const [reply] = await this.recordMany([event]);
    return reply;
  }

  /** Several events in one transaction, each idempotent on its eventId. */
  recordMany(events: AuditEventInput[]): Promise<RecordAuditReply[]> {
    return this.tx.run(async (manager) => {
      const replies: RecordAuditReply[] = [];
      for (const event of events) {
        if (await manager.existsBy(AuditEvent, { eventId: event.eventId })) {
          replies.push({ eventId: event.eventId, stored: false });
          continue;
        }
        await manager.insert(AuditEvent, {
          eventId: event.eventId,
          type: event.type,
          actorUserId: event.actor?.userId ?? null,
          actorUsername: event.actor?.username ?? null,
          subjectKind: event.subject.kind,
          subjectId: event.subject.id,
          subjectName: event.subject.name ?? null,
          occurredAt: new Date(event.occurredAt),
          requestId: event.requestId ?? null,
          payload: (event.payload ?? null) as AuditEvent['payload'] & object,
        });
        replies.push({ eventId: event.eventId, stored: true });
      }
      return replies;
    });
  }

  /**
   * Time order (then arrival order), oldest or newest first. `actorUserId`, when given, keeps
   * only events that user performed: what a customer may see. Each filter has an index ending in
   * (occurredAt, seq) (LoggingQueryIndexes), so a page reads its own rows in order; with a cursor
   * it starts right after the previous page's last event instead of counting an offset.
   */
  async list(
    query: ListLogsQuery,
    actorUserId?: string,
  ): Promise<{ items: AuditEvent[]; total: number; nextCursor: string | null }> {
    const qb = this.events.createQueryBuilder('e');
    if (actorUserId) qb.andWhere('e.actorUserId = :actorUserId', { actorUserId });
    if (query.type) qb.andWhere('e.type = :type', { type: query.type });
    if (query.username)
      qb.andWhere('LOWER(e.actorUsername) = LOWER(:username)', { username: query.username });
    if (query.productId)
      qb.andWhere("e.subjectKind = 'product' AND e.subjectId = :productId", {
        productId: query.productId,
      });
    if (query.productName) {
      qb.andWhere("e.subjectKind = 'product' AND LOWER(e.subjectName) = LOWER(:productName)", {
        productName: query.productName.trim(),
      });
    }
    if (query.from) qb.andWhere('e.occurredAt >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('e.occurredAt <= :to', { to: new Date(query.to) });
    const fingerprint = JSON.stringify([
      actorUserId ?? null,
      query.type ?? null,
      query.username?.toLowerCase() ?? null,
      query.productId ?? null,
      query.productName?.trim().toLowerCase() ?? null,
      query.from ?? null,
      query.to ?? null,
      query.order,
      query.limit,
    ]);
    const key =
      query.cursor !== undefined ? openCursor(query.cursor, query.page, fingerprint) : undefined;
    // COUNT(*) reads the filter's index; TypeORM's getManyAndCount would count DISTINCT seq.
    const counted = await qb.clone().select('COUNT(*)', 'total').getRawOne<{ total: unknown }>();
    const total = Number(counted?.total ?? 0);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    if (key)
      qb.andWhere(
        `(e.occurredAt, e.seq) ${direction === 'ASC' ? '>' : '<'} (:afterAt, :afterSeq)`,
        {
          afterAt: new Date(key[0] as string),
          afterSeq: key[1],
        },
      );
    else qb.offset((query.page - 1) * query.limit);
    const items = await qb
      .orderBy('e.occurredAt', direction)
      .addOrderBy('e.seq', direction)
      .limit(query.limit)
      .getMany();
    const last = items[items.length - 1];
    const more = last !== undefined && (query.page - 1) * query.limit + items.length < total;
    return {
      items,
      total,
      nextCursor: more
        ? sealCursor(query.page + 1, fingerprint, [
            new Date(last.occurredAt).toISOString(),
            last.seq,
          ])
        : null,
    };
  }

  /** For each product, the latest product_created / product_updated event: who and when. */
  async lastModified(productIds: string[]): Promise<LastModifiedReply> {
    if (productIds.length === 0) return { items: [] };
    const rows = await this.events.query<
      Array<{ productId: string; username: string | null; at: string | Date }>
    >(
      `SELECT "subjectId" AS "productId", "actorUsername" AS "username", "occurredAt" AS "at" FROM (
         SELECT "subjectId", "actorUsername", "occurredAt",
                ROW_NUMBER() OVER (PARTITION BY "subjectId" ORDER BY "occurredAt" DESC, "seq" DESC) AS "rank"
         FROM audit_event
         WHERE "subjectKind" = 'product' AND "type" IN ('product_created', 'product_updated')
           AND "subjectId" IN (${productIds.map((_, i) => placeholder(this.events.manager, i + 1)).join(', ')})
       ) AS latest WHERE "rank" = 1`,
      productIds,
    );
    return {
      items: rows.map((row) => ({
        productId: row.productId,
        username: row.username,
        // SQLite returns its UTC text, PostgreSQL a Date.
        at: (typeof row.at === 'string'
          ? new Date(`${row.at.replace(' ', 'T')}Z`)
          : row.at
        ).toISOString(),
      })),
    };
  }
}
