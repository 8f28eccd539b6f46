import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UsersClient } from '@mfm/contracts/users.contract';
import {
  CLASSIC_NULL,
  ClassicAdapter,
  ClassicRequest,
  ClassicRoute,
} from '@mfm/platform/classic/classic-http';
import { classicCaller } from '@mfm/platform/classic/classic-fields';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { AuditEvent } from '../entities/audit-event.entity';

/** The audit event types the classic log shows, under their classic names. */
export const CLASSIC_EVENT_NAMES: Record<string, string> = {
  user_created: 'user_creation',
  login: 'login',
  product_created: 'product_creation',
  product_updated: 'product_edit',
  search: 'search',
  order_placed: 'order',
};

/** Events whose classic `name` is a product name or a search term (the others show "NULL"). */
const NAMED = ['product_created', 'product_updated', 'search'];

/** The classic `name` of an event: the product, the searched name or category, else "NULL". */
export function classicEventName(event: AuditEvent): string {
  if (event.type === 'product_created' || event.type === 'product_updated')
    return event.subjectName ?? CLASSIC_NULL;
  if (event.type === 'search') {
    const payload = event.payload ?? {};
    const term =
      event.subjectName || (typeof payload.category === 'string' ? payload.category : '');
    return term || CLASSIC_NULL;
  }
  return CLASSIC_NULL;
}

/**
 * The original logging service (port 9004) over the module's audit log: the same events the
 * modern API records (modern and classic actions alike), in time order, under classic names.
 */
@Injectable()
export class LoggingClassicAdapter implements ClassicAdapter {
  readonly module = 'logging' as const;

  constructor(
    @InjectRepository(AuditEvent, 'logging') private readonly events: Repository<AuditEvent>,
    private readonly users: UsersClient,
    @Inject(transactionRunnerToken('logging')) private readonly tx: TransactionRunner,
  ) {}

  routes(): ClassicRoute[] {
    return [{ method: 'GET', path: '/view_log', handle: (r) => this.viewLog(r) }];
  }

  /**
   * `?username=U`: what U did (only U may ask). `?product=P` (employees): the events whose classic
   * name is P: its creation and edits, and searches for that name.
   * 1 with the events; 2 bad token; 3 someone else's log or a non-employee asking for a product.
   */
  async viewLog({ fields, token }: ClassicRequest): Promise<Record<string, unknown>> {
    const caller = await classicCaller(this.users, token);
    if (!caller) return { status: 2, data: CLASSIC_NULL };
    const qb = this.events
      .createQueryBuilder('e')
      .where('e.type IN (:...types)', { types: Object.keys(CLASSIC_EVENT_NAMES) });
    if (fields.username !== undefined) {
      if (fields.username.toLowerCase() !== caller.username.toLowerCase())
        return { status: 3, data: CLASSIC_NULL };
      qb.andWhere('LOWER(e.actorUsername) = LOWER(:username)', { username: caller.username });
    } else if (fields.product !== undefined) {
      if (caller.role !== 'employee') return { status: 3, data: CLASSIC_NULL };
      qb.andWhere('e.type IN (:...named)', { named: NAMED }).andWhere(
        'LOWER(e.subjectName) = LOWER(:product)',
        { product: fields.product.trim() },
      );
    } else {
      return { status: 3, data: CLASSIC_NULL };
    }
    const rows = await qb.orderBy('e.occurredAt', 'ASC').addOrderBy('e.seq', 'ASC').getMany();
    const data: Record<string, { event: string; user: string; name: string }> = {};
    rows
      .filter((row) => fields.product === undefined || classicEventName(row) !== CLASSIC_NULL)
      .forEach((row, index) => {
        data[String(index + 1)] = {
          event: CLASSIC_EVENT_NAMES[row.type],
          user: row.actorUsername ?? CLASSIC_NULL,
          name: classicEventName(row),
        };
      });
    return { status: 1, data };
  }

  /** The whole audit log goes. */
  clear(): Promise<void> {
    return this.tx.run(async (manager) => {
      await manager.createQueryBuilder().delete().from(AuditEvent).execute();
    });
  }
}
