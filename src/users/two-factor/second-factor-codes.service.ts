import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { createRateLimiter } from '@mfm/platform/rate-limit/rate-limiter-store';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { User } from '../accounts/user.entity';
import { personalDataKeys } from '../personal-data';
import { UsersAudit } from '../users-audit.service';
import { BackupCode } from './backup-code.entity';
import { looksLikeBackupCode, normalBackupCode } from './backup-codes';
import { MfaMethod, selfActor } from './methods';
import { spendOr429 } from './spend-or-429';
import { checkTotp } from './totp';

export const wrongCode = (details: Record<string, unknown> = {}) =>
  UsersErrors.INVALID_MFA_CODE.error({ field: 'code', ...details });

const codeReused = () => UsersErrors.MFA_CODE_REUSED.error({ field: 'code' });

/** A backup code as stored: an HMAC under the index key, never the code itself. */
export const backupHash = (code: string) =>
  personalDataKeys().blindIndex(normalBackupCode(code), 'backup_code');

/**
 * The check of a code of the app or a backup code, wherever one is asked for (a sign-in, turning
 * two-factor sign-in off, new backup codes, a re-authentication), and the account's budget of
 * wrong codes they all share. A TOTP code is accepted once (its time step is remembered).
 */
@Injectable()
export class SecondFactorCodes {
  private readonly failuresByAccount: RateLimiterAbstract;

  constructor(
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly audit: UsersAudit,
    @InjectDataSource('users') db: DataSource,
  ) {
    this.failuresByAccount = createRateLimiter(db, {
      keyPrefix: 'mfa-user',
      points: config.login.maxFailuresPerUsername,
      durationSeconds: config.login.failureWindowSeconds,
    });
  }

  /** A current code of the app or a backup code (as `allowed`), under the account's budget. */
  async prove(user: User, code: string, allowed: MfaMethod[]): Promise<MfaMethod> {
    return this.withAccountBudget(user, () => this.check(user, code, allowed));
  }

  /**
   * The account's budget of wrong codes: one is taken before the check (so concurrent guesses
   * cannot all slip under the limit) and given back when the code was right. Each wrong code is
   * recorded as `mfa_failed`.
   */
  async withAccountBudget<T>(user: User, check: () => Promise<T>): Promise<T> {
    await spendOr429(this.failuresByAccount, user.id, UsersErrors.TOO_MANY_MFA_ATTEMPTS);
    try {
      const result = await check();
      await this.failuresByAccount.reward(user.id);
      return result;
    } catch (error) {
      if (error instanceof AppError && error.getStatus() === 401) {
        await this.outbox.write((_m, out) =>
          out.audit(
            this.audit.event('mfa_failed', user, selfActor(user), {
              reason: (error.getResponse() as { code: string }).code,
            }),
          ),
        );
      } else {
        await this.failuresByAccount.reward(user.id).catch(() => undefined);
      }
      throw error;
    }
  }

  /** The code alone, outside the budget: for a caller that holds the budget around more checks. */
  async check(user: User, code: string, allowed: MfaMethod[]): Promise<MfaMethod> {
    if (allowed.includes('backup_code') && looksLikeBackupCode(code)) {
      return this.outbox.write(async (manager, out) => {
        const result = await manager.update(
          BackupCode,
          { userId: user.id, codeHash: backupHash(code), usedAt: IsNull() },
          { usedAt: new Date() },
        );
        if (result.affected !== 1) throw wrongCode({ method: 'backup_code' });
        const left = await manager.countBy(BackupCode, { userId: user.id, usedAt: IsNull() });
        await out.audit(
          this.audit.event('backup_code_used', user, selfActor(user), { backupCodesLeft: left }),
        );
        return 'backup_code' as const;
      });
    }
    if (!allowed.includes('totp') || !user.totpSecret) throw wrongCode();
    const check = await checkTotp(user.totpSecret, code, user.totpLastStep);
    if (!check.valid) {
      if (check.reused) throw codeReused();
      throw wrongCode({ method: 'totp' });
    }
    // The step is taken atomically: of two requests with the same code, one wins.
    const taken = await this.outbox.write((manager) =>
      manager
        .createQueryBuilder()
        .update(User)
        .set({ totpLastStep: check.timeStep })
        .where('"id" = :id AND ("totpLastStep" IS NULL OR "totpLastStep" < :step)', {
          id: user.id,
          step: check.timeStep,
        })
        .execute(),
    );
    if (taken.affected !== 1) throw codeReused();
    return 'totp';
  }
}
