import { EntityManager, IsNull, Not } from 'typeorm';
import { Session } from './session.entity';

/**
 * Ends every active session of an account but the one asking, inside the caller's transaction:
 * when two-factor sign-in is turned on, sessions that began with the password alone (perhaps a
 * stolen one) must not outlive the change. The count is for the audit log.
 */
export async function endOtherSessions(
  manager: EntityManager,
  userId: string,
  keepSessionId: string | undefined,
  reason: string,
): Promise<number> {
  const result = await manager.update(
    Session,
    keepSessionId
      ? { userId, revokedAt: IsNull(), id: Not(keepSessionId) }
      : { userId, revokedAt: IsNull() },
    { revokedAt: new Date(), revokedReason: reason },
  );
  return result.affected ?? 0;
}
