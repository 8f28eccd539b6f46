import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import type { NewAuditEvent } from '@mfm/contracts/logging.contract';
import type { Outbox, OutboxWriter } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { AppError } from '@mfm/platform/errors/error-body';
import { placeholder } from '@mfm/platform/database/dialect';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';

export interface IssuedRefreshToken {
  sessionId: string;
  userId: string;
  token: string;
  /** How the session's login was authenticated: every access token of the session says so. */
  amr: string[];
}

type RotateOutcome =
  { error: AppError; value?: undefined } | { error?: undefined; value: IssuedRefreshToken };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const invalidRefresh = () => UsersErrors.INVALID_REFRESH_TOKEN.error();

/**
 * Sessions and their single-use refresh tokens (`<id>.<secret>`, only a hash of the secret is
 * stored). Presenting a token that was already used revokes its whole session: whoever holds
 * the other copy — the thief or the owner — has to log in again.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session, 'users') private readonly sessions: Repository<Session>,
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get refreshTtlSeconds(): number {
    return this.config.auth.refreshTokenTtlSeconds;
  }

  /** A new session; `audit` (the login event) commits with it, and so does `also`. */
  start(
    userId: string,
    audit?: NewAuditEvent,
    amr: readonly string[] = ['pwd'],
    also?: (manager: EntityManager, out: OutboxWriter) => Promise<void>,
  ): Promise<IssuedRefreshToken> {
    return this.outbox.write(async (manager, out) => {
      const session = await manager.save(
        manager.create(Session, {
          id: randomUUID(),
          userId,
          revokedAt: null,
          revokedReason: null,
          amr: amr.join(','),
        }),
      );
      if (audit) await out.audit(audit);
      if (also) await also(manager, out);
      return {
        sessionId: session.id,
        userId,
        token: await this.issue(manager, session.id),
        amr: [...amr],
      };
    });
  }

  /** Ends every active session of an account (a password reset): all its tokens stop working. */
  async revokeAllIn(manager: EntityManager, userId: string, reason: string): Promise<number> {
    const result = await manager.update(
      Session,
      { userId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return result.affected ?? 0;
  }

  /** Spends a refresh token and returns its successor in the same session. */
  async rotate(presented: string): Promise<IssuedRefreshToken> {
    const [id, secret] = presented.split('.');
    if (!id || !secret) throw invalidRefresh();
    const outcome = await this.outbox.write(async (manager): Promise<RotateOutcome> => {
      const stored = await manager.findOneBy(RefreshToken, { id });
      if (!stored || !sameHash(stored.secretHash, sha256(secret)))
        return { error: invalidRefresh() };
      const session = await manager.findOneBy(Session, { id: stored.sessionId });
      if (!session || session.revokedAt) return { error: invalidRefresh() };
      const reused = async (): Promise<RotateOutcome> => {
        await this.revokeIn(manager, session.id, 'refresh_token_reuse');
        return {
          error: UsersErrors.REFRESH_TOKEN_REUSED.error(),
        };
      };
      if (stored.usedAt) return reused();
      if (new Date(stored.expiresAt).getTime() <= Date.now()) return { error: invalidRefresh() };
      // Spending is conditional: with replicas on PostgreSQL another request may have spent the
      // token since it was read above, and then this one is a second use of it, not a rotation.
      const spent = await manager.update(
        RefreshToken,
        { id, usedAt: IsNull() },
        { usedAt: new Date() },
      );
      if (spent.affected !== 1) return reused();
      return {
        value: {
          sessionId: session.id,
          userId: session.userId,
          token: await this.issue(manager, session.id),
          amr: session.amr.split(','),
        },
      };
    });
    // Thrown after the transaction so the revocation of a reused token is committed, not rolled back.
    if (outcome.error) throw outcome.error;
    return outcome.value;
  }

  /**
   * The session a genuine refresh token belongs to (its secret matches), spent or not; undefined
   * otherwise. Lets a browser that holds only the refresh cookie end its session.
   */
  async sessionOf(presented: string): Promise<{ sessionId: string; userId: string } | undefined> {
    const [id, secret] = presented.split('.');
    if (!id || !secret) return undefined;
    const stored = await this.sessions.manager.findOneBy(RefreshToken, { id });
    if (!stored || !sameHash(stored.secretHash, sha256(secret))) return undefined;
    const session = await this.sessions.findOneBy({ id: stored.sessionId });
    return session ? { sessionId: session.id, userId: session.userId } : undefined;
  }

  /** Ends a session; true when it was active until now. `audit` commits with it, if it ended. */
  revoke(sessionId: string, reason: string, audit?: NewAuditEvent): Promise<boolean> {
    return this.outbox.write(async (manager, out) => {
      const ended = await this.revokeIn(manager, sessionId, reason);
      if (ended && audit) await out.audit(audit);
      return ended;
    });
  }

  /** On every authenticated request (the token check): one prepared statement. */
  async isActive(sessionId: string): Promise<boolean> {
    const rows = await this.sessions.query<unknown[]>(
      `SELECT 1 AS "active" FROM "session" WHERE "id" = ${placeholder(this.sessions.manager, 1)} AND "revokedAt" IS NULL LIMIT 1`,
      [sessionId],
    );
    return rows.length > 0;
  }

  private async revokeIn(
    manager: EntityManager,
    sessionId: string,
    reason: string,
  ): Promise<boolean> {
    const result = await manager.update(
      Session,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return (result.affected ?? 0) > 0;
  }

  private async issue(manager: EntityManager, sessionId: string): Promise<string> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await manager.insert(RefreshToken, {
      id,
      sessionId,
      secretHash: sha256(secret),
      expiresAt: new Date(Date.now() + this.refreshTtlSeconds * 1000),
      usedAt: null,
    });
    return `${id}.${secret}`;
  }
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
