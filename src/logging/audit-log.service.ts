import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  AuditEventInput,
  LastModifiedReply,
  RecordAuditReply,
} from '@mfm/contracts/logging.contract';
import { placeholder } from '@mfm/platform/database/dialect';
import { RawParams, findRaw, insertRaw } from '@mfm/platform/database/raw-rows';
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
      // One INSERT for the batch; a redelivered event meets the unique eventId and is skipped.
      const stored = await insertRaw(
        manager,
        AuditEvent,
        events.map((event) => ({
          eventId: event.eventId,
          type: event.type,
          actorUserId: event.actor?.userId ?? null,
          actorUsername: event.actor?.username ?? null,
          subjectKind: event.subject.kind,
          subjectId: event.subject.id,
          subjectName: event.subject.name ?? null,
          occurredAt: new Date(event.occurredAt),
          requestId: event.requestId ?? null,
          payload: event.payload ?? null,
        })),
        'ON CONFLICT ("eventId") DO NOTHING RETURNING "eventId"',
      );
      const fresh = new Set(stored.map((row) => row.eventId));
      // The same event twice in one batch is stored once: the first one.
      return events.map(({ eventId }) => ({ eventId, stored: fresh.delete(eventId) }));
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
    // Raw SQL whose text depends only on which filters are set: the driver's prepared-statement
    // cache serves it, where a query builder would build and parse a new query per request.
    const params = new RawParams(this.events);
    const where: string[] = [];
    if (actorUserId) where.push(`"actorUserId" = ${params.add(actorUserId)}`);
    if (query.type) where.push(`"type" = ${params.add(query.type)}`);
    if (query.username) where.push(`LOWER("actorUsername") = LOWER(${params.add(query.username)})`);
    if (query.productId)
      where.push(`"subjectKind" = 'product' AND "subjectId" = ${params.add(query.productId)}`);
    if (query.productName)
      where.push(
        `"subjectKind" = 'product' AND LOWER("subjectName") = LOWER(${params.add(query.productName.trim())})`,
      );
    if (query.from)
      where.push(`"occurredAt" >= ${params.column('occurredAt', new Date(query.from))}`);
    if (query.to) where.push(`"occurredAt" <= ${params.column('occurredAt', new Date(query.to))}`);
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
    const filter = (conditions: string[]) =>
      conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const [counted] = await this.events.query<Array<{ total: unknown }>>(
      `SELECT COUNT(*) AS "total" FROM "audit_event"${filter(where)}`,
      params.values,
    );
    const total = Number(counted?.total ?? 0);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const page = params.clone();
    const pageWhere = [...where];
    if (key)
      pageWhere.push(
        `("occurredAt", "seq") ${direction === 'ASC' ? '>' : '<'} (${page.column('occurredAt', new Date(key[0] as string))}, ${page.add(key[1])})`,
      );
    const limit = page.add(query.limit);
    const offset = page.add(key ? 0 : (query.page - 1) * query.limit);
    const items = await findRaw(
      this.events,
      `${filter(pageWhere)} ORDER BY "occurredAt" ${direction}, "seq" ${direction} LIMIT ${limit} OFFSET ${offset}`,
      page.values,
    );
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
