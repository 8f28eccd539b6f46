import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditEventInput, RecordAuditReply } from '@mfm/contracts/logging.contract';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { Between, FindOptionsWhere, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { ListLogsQuery } from './dto/list-logs.query';
import { AuditEvent } from './entities/audit-event.entity';

@Injectable()
export class AuditLogService {
  constructor(
    @InjectRepository(AuditEvent, 'logging') private readonly events: Repository<AuditEvent>,
    @Inject(transactionRunnerToken('logging')) private readonly tx: TransactionRunner,
  ) {}

  /** Idempotent on eventId: a redelivered event is acknowledged and stored once. */
  record(event: AuditEventInput): Promise<RecordAuditReply> {
    return this.tx.run(async (manager) => {
      if (await manager.existsBy(AuditEvent, { eventId: event.eventId }))
        return { eventId: event.eventId, stored: false };
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
      return { eventId: event.eventId, stored: true };
    });
  }

  async list(query: ListLogsQuery): Promise<{ items: AuditEvent[]; total: number }> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (query.type) where.type = query.type;
    if (query.username) where.actorUsername = query.username;
    if (query.from && query.to)
      where.occurredAt = Between(new Date(query.from), new Date(query.to));
    else if (query.from) where.occurredAt = MoreThanOrEqual(new Date(query.from));
    else if (query.to) where.occurredAt = LessThanOrEqual(new Date(query.to));
    const [items, total] = await this.events.findAndCount({
      where,
      order: { seq: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return { items, total };
  }
}
