import { Injectable, Logger } from '@nestjs/common';
import { AuditActor, LoggingClient } from '@mfm/contracts/logging.contract';
import { RequestContext } from '@mfm/platform/context/request-context';
import { randomUUID } from 'node:crypto';
import { User } from './entities/user.entity';

export type UserAuditType = 'user_created' | 'login' | 'user_updated' | 'logout';

const AUDIT_TIMEOUT_MS = 1000;

/**
 * Sends the users module's audit events to logging. Best effort for now: a failed delivery is
 * logged and the user's request still succeeds. (The outbox of the audit-log issue replaces this
 * with store-and-forward delivery.)
 */
@Injectable()
export class UsersAudit {
  private readonly logger = new Logger(UsersAudit.name);

  constructor(private readonly logging: LoggingClient) {}

  async record(
    type: UserAuditType,
    subject: Pick<User, 'id' | 'username'>,
    actor: AuditActor | undefined,
    payload?: Record<string, unknown>,
  ): Promise<void> {
    const event = {
      eventId: randomUUID(),
      type,
      actor,
      subject: { kind: 'user' as const, id: subject.id, name: subject.username },
      occurredAt: new Date().toISOString(),
      requestId: RequestContext.requestId(),
      payload,
    };
    try {
      await this.logging.record(event, AUDIT_TIMEOUT_MS);
    } catch (error) {
      this.logger.warn({
        msg: `audit event ${type} not delivered`,
        eventId: event.eventId,
        error: (error as Error).message,
      });
    }
  }
}
