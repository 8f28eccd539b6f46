import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@mfm/contracts/logging.contract';
import type { NewAuditEvent } from '@mfm/contracts/logging.contract';
import { User } from './accounts/user.entity';

export type UserAuditType =
  | 'user_created'
  | 'login'
  | 'user_updated'
  | 'logout'
  | 'email_verified'
  | 'password_reset_requested'
  | 'password_reset'
  | 'email_change_requested'
  | 'email_changed'
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'mfa_failed'
  | 'backup_code_used'
  | 'backup_codes_regenerated'
  | 'passkey_added'
  | 'passkey_removed'
  | 'feedback_received';

/**
 * The users module's audit events. They are written to the module's outbox in the transaction
 * of the change they describe (see Outbox), so none is lost when logging is down.
 */
@Injectable()
export class UsersAudit {
  event(
    type: UserAuditType,
    subject: Pick<User, 'id' | 'username'>,
    actor: AuditActor | undefined,
    payload?: Record<string, unknown>,
  ): NewAuditEvent {
    return {
      type,
      actor,
      subject: { kind: 'user', id: subject.id, name: subject.username },
      payload,
    };
  }
}
