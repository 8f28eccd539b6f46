import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource, EntityManager, IsNull, LessThan } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { Outbox } from '@mfm/platform/outbox/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import {
  createRateLimiter,
  isLimitReached,
  secondsUntil,
} from '@mfm/platform/rate-limit/rate-limiter-store';
import { sameHash, sha256 } from '../email-flows/account-tokens.service';
import { BackupCode } from './backup-code.entity';
import { MfaChallenge } from './mfa-challenge.entity';
import { Passkey } from '../passkeys/passkey.entity';
import { User } from '../accounts/user.entity';
import { PasswordCheck } from '../password/password-check.service';
import { personalDataKeys } from '../personal-data';
import { mailAccountChange } from '../account-notices';
import { endOtherSessions } from '../sessions/other-sessions';
import { UsersAudit } from '../users-audit.service';
import {
  BACKUP_CODE_COUNT,
  looksLikeBackupCode,
  newBackupCode,
  normalBackupCode,
} from './backup-codes';
import { checkTotp, newTotpSecret, totpEnrolment } from './totp';

export const MFA_METHODS = ['totp', 'backup_code', 'email'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** How long the second step of a login may take, and how many wrong codes it allows. */
const CHALLENGE_TTL_SECONDS = 300;
const CHALLENGE_MAX_FAILURES = 5;
const EMAIL_CODE_TTL_SECONDS = 600;
const EMAIL_CODES_PER_CHALLENGE = 3;
const DAY_MS = 24 * 3600 * 1000;

/** How the second step of a login may be taken: a code, or one of the account's passkeys. */
export type SecondStep = MfaMethod | 'passkey';

/** What a login to an account with a second factor answers instead of tokens. */
export interface MfaChallengeIssued {
  mfaRequired: true;
  mfaToken: string;
  methods: SecondStep[];
  expiresIn: number;
}

const actor = (user: Pick<User, 'id' | 'username'>) => ({
  userId: user.id,
  username: user.username,
});

const wrongCode = (details: Record<string, unknown> = {}) =>
  new AppError(401, 'INVALID_MFA_CODE', 'The code is not valid', { field: 'code', ...details });

const backupHash = (code: string) =>
  personalDataKeys().blindIndex(normalBackupCode(code), 'backup_code');

/**
 * Two-factor sign-in: an authenticator app (TOTP, RFC 6238) with ten single-use backup codes, and
 * a code by email as the alternative at login. Wrong codes are limited per login challenge and
 * per account; a TOTP code is accepted once (its time step is remembered).
 */
@Injectable()
export class MfaService {
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly codeMailsByAccount: RateLimiterAbstract;

  constructor(
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passwordCheck: PasswordCheck,
    private readonly audit: UsersAudit,
    @InjectDataSource('users') private readonly db: DataSource,
  ) {
    this.failuresByAccount = createRateLimiter(db, {
      keyPrefix: 'mfa-user',
      points: config.login.maxFailuresPerUsername,
      durationSeconds: config.login.failureWindowSeconds,
    });
    this.codeMailsByAccount = createRateLimiter(db, {
      keyPrefix: 'login-code-mail',
      points: config.login.codeMailsPerHour,
      durationSeconds: 3600,
    });
  }

  async status(userId: string): Promise<{
    totpEnabled: boolean;
    backupCodesLeft: number;
    passkeys: number;
  }> {
    const user = await this.db.manager.findOneByOrFail(User, { id: userId });
    return {
      totpEnabled: Boolean(user.totpSecret),
      backupCodesLeft: await this.db.manager.countBy(BackupCode, { userId, usedAt: IsNull() }),
      passkeys: await this.db.manager.countBy(Passkey, { userId }),
    };
  }

  /** A new secret to enrol (replacing an unconfirmed one); 409 while an app is already enrolled. */
  async startTotp(userId: string): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
    const secret = newTotpSecret();
    const user = await this.outbox.write(async (manager) => {
      const found = await manager.findOneByOrFail(User, { id: userId });
      if (found.totpSecret)
        throw new AppError(
          409,
          'MFA_ALREADY_ENABLED',
          'Two-factor sign-in is already on; turn it off first to enrol another app',
        );
      await manager.update(User, { id: userId }, { totpPendingSecret: secret });
      return found;
    });
    return { secret, ...(await totpEnrolment(secret, user.username)) };
  }

  /**
   * The first valid code of the enrolled app turns two-factor sign-in on: ten backup codes, shown
   * once. Every other session of the account ends (they began with the password alone), and the
   * owner is mailed.
   */
  async confirmTotp(
    userId: string,
    code: string,
    sessionId: string | undefined,
  ): Promise<string[]> {
    return this.outbox.write(async (manager, out) => {
      const user = await manager.findOneByOrFail(User, { id: userId });
      if (user.totpSecret)
        throw new AppError(409, 'MFA_ALREADY_ENABLED', 'Two-factor sign-in is already on');
      if (!user.totpPendingSecret)
        throw new AppError(
          409,
          'MFA_NOT_ENROLLING',
          'Start with POST /api/users/me/mfa/totp to get a secret for your app',
        );
      const check = await checkTotp(user.totpPendingSecret, code, null);
      if (!check.valid) throw wrongCode();
      await manager.update(
        User,
        { id: userId },
        {
          totpSecret: user.totpPendingSecret,
          totpPendingSecret: null,
          totpLastStep: check.timeStep,
        },
      );
      const codes = await this.replaceBackupCodes(manager, userId);
      const sessionsEnded = await endOtherSessions(manager, userId, sessionId, 'mfa_enabled');
      await out.audit(
        this.audit.event('mfa_enabled', user, actor(user), { method: 'totp', sessionsEnded }),
      );
      await mailAccountChange(out, this.config, user, 'mfa_enabled');
      return codes;
    });
  }

  /** New backup codes (the old ones stop working), against a current code of the app. */
  async regenerateBackupCodes(userId: string, code: string): Promise<string[]> {
    const user = await this.enabledUser(userId);
    await this.proveSecondFactor(user, code, ['totp']);
    return this.outbox.write(async (manager, out) => {
      const codes = await this.replaceBackupCodes(manager, userId);
      await out.audit(this.audit.event('backup_codes_regenerated', user, actor(user)));
      await mailAccountChange(out, this.config, user, 'backup_codes_regenerated');
      return codes;
    });
  }

  /**
   * Turns two-factor sign-in off: the password (counted in the login limit) and a current code
   * (or a backup code).
   */
  async disable(userId: string, password: string, code: string, address: string): Promise<void> {
    const user = await this.enabledUser(userId);
    await this.passwordCheck.verify(user, password, address);
    await this.proveSecondFactor(user, code, ['totp', 'backup_code']);
    await this.outbox.write(async (manager, out) => {
      await manager.update(
        User,
        { id: userId },
        { totpSecret: null, totpPendingSecret: null, totpLastStep: null },
      );
      await manager.delete(BackupCode, { userId });
      await out.audit(this.audit.event('mfa_disabled', user, actor(user)));
      await mailAccountChange(out, this.config, user, 'mfa_disabled');
    });
  }

  /** Whether a password login of the account needs a second step: an app or a passkey. */
  async hasSecondFactor(user: User): Promise<boolean> {
    return Boolean(user.totpSecret) || this.db.manager.existsBy(Passkey, { userId: user.id });
  }

  /** The second step of a login for an account with a second factor (an app, a passkey). */
  async issueChallenge(user: User): Promise<MfaChallengeIssued> {
    const hasPasskey = await this.db.manager.existsBy(Passkey, { userId: user.id });
    const id = randomUUID();
    const secret = randomBytes(24).toString('base64url');
    await this.outbox.write(async (manager) => {
      // Finished and expired challenges have no use after a day: kept that long, then dropped.
      await manager.delete(MfaChallenge, { expiresAt: LessThan(new Date(Date.now() - DAY_MS)) });
      await manager.insert(MfaChallenge, {
        id,
        userId: user.id,
        secretHash: sha256(secret),
        expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
        failures: 0,
        completedAt: null,
        emailCodeHash: null,
        emailCodeExpiresAt: null,
        emailCodesSent: 0,
      });
    });
    return {
      mfaRequired: true,
      mfaToken: `${id}.${secret}`,
      methods: [
        ...(user.totpSecret ? (['totp', 'backup_code'] as const) : []),
        ...(hasPasskey ? (['passkey'] as const) : []),
        ...(user.emailVerifiedAt ? (['email'] as const) : []),
      ],
      expiresIn: CHALLENGE_TTL_SECONDS,
    };
  }

  /**
   * Mails a six-digit sign-in code for a challenge: ten minutes, once, three per challenge, and
   * LOGIN_CODE_MAILS_PER_HOUR per account however many logins are started (whoever knows the
   * password could otherwise fill the account's mailbox).
   */
  async mailLoginCode(mfaToken: string): Promise<void> {
    const challenge = await this.liveChallenge(mfaToken);
    const user = await this.db.manager.findOneByOrFail(User, { id: challenge.userId });
    if (!user.emailVerifiedAt)
      throw new AppError(
        409,
        'EMAIL_NOT_VERIFIED',
        'Codes are only mailed to a verified address; use your app or a backup code',
      );
    await this.takeCodeMail(user);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.outbox.write(async (manager, out) => {
      const result = await manager
        .createQueryBuilder()
        .update(MfaChallenge)
        .set({
          emailCodeHash: sha256(code),
          emailCodeExpiresAt: new Date(Date.now() + EMAIL_CODE_TTL_SECONDS * 1000),
          emailCodesSent: () => '"emailCodesSent" + 1',
        })
        .where('"id" = :id AND "emailCodesSent" < :max', {
          id: challenge.id,
          max: EMAIL_CODES_PER_CHALLENGE,
        })
        .execute();
      if (result.affected !== 1) {
        // Refused by the challenge's own limit: no mail went out, so the hour keeps its place.
        await this.codeMailsByAccount.reward(user.id);
        throw new AppError(
          429,
          'TOO_MANY_EMAIL_CODES',
          `At most ${EMAIL_CODES_PER_CHALLENGE} codes are mailed per sign-in; log in again for more`,
        );
      }
      await out.mail(
        { userId: user.id },
        { template: 'login_code', data: { name: user.firstName, code } },
      );
    });
  }

  /** One mail from the account's hourly budget of sign-in codes, or 429 with Retry-After. */
  private takeCodeMail(user: User): Promise<void> {
    return spendOr429(
      this.codeMailsByAccount,
      user.id,
      'TOO_MANY_EMAIL_CODES',
      (seconds) =>
        `Enough sign-in codes were mailed to this account for now; use your app or a backup code, or try again in ${seconds} s`,
    );
  }

  /**
   * Completes a challenge with a code: TOTP (six digits), a backup code, or the mailed code
   * (`method: "email"`). Returns the account; the caller starts the session. Wrong codes count
   * against the challenge (five, then it is spent) and the account (429 past the limit).
   */
  async complete(
    mfaToken: string,
    code: string,
    method: MfaMethod | undefined,
  ): Promise<{ user: User; method: MfaMethod }> {
    const challenge = await this.liveChallenge(mfaToken);
    const user = await this.db.manager.findOneByOrFail(User, { id: challenge.userId });
    if (!user.enabled) throw new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled');
    const used = await this.withAccountBudget(user, async () => {
      if (method === 'email') return this.spendEmailCode(challenge, code);
      return this.checkAppOrBackupCode(user, code, method ? [method] : ['totp', 'backup_code']);
    }).catch(async (error: unknown) => {
      if (error instanceof AppError && error.getStatus() === 401)
        await this.countFailure(challenge);
      throw error;
    });
    const done = await this.outbox.write((manager) =>
      manager.update(
        MfaChallenge,
        { id: challenge.id, completedAt: IsNull() },
        { completedAt: new Date() },
      ),
    );
    if (done.affected !== 1) throw expiredChallenge();
    return { user, method: used };
  }

  /**
   * Completes a challenge with a passkey: `assert` checks the assertion and names its account,
   * which must be the challenge's.
   */
  async completeWithPasskey(mfaToken: string, assert: () => Promise<User>): Promise<User> {
    const challenge = await this.liveChallenge(mfaToken);
    const user = await assert();
    if (user.id !== challenge.userId) {
      await this.countFailure(challenge);
      throw new AppError(401, 'PASSKEY_REJECTED', 'This passkey belongs to another account', {
        field: 'credential',
      });
    }
    const done = await this.outbox.write((manager) =>
      manager.update(
        MfaChallenge,
        { id: challenge.id, completedAt: IsNull() },
        { completedAt: new Date() },
      ),
    );
    if (done.affected !== 1) throw expiredChallenge();
    return user;
  }

  /** A current code of the app or a backup code outside a login (re-authentication). */
  async proveCode(user: User, code: string): Promise<void> {
    await this.proveSecondFactor(user, code, ['totp', 'backup_code']);
  }

  private async liveChallenge(mfaToken: string): Promise<MfaChallenge> {
    const [id, secret] = mfaToken.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw expiredChallenge();
    const challenge = await this.db.manager.findOneBy(MfaChallenge, { id });
    if (
      !challenge ||
      !sameHash(challenge.secretHash, sha256(secret)) ||
      challenge.completedAt ||
      challenge.failures >= CHALLENGE_MAX_FAILURES ||
      new Date(challenge.expiresAt).getTime() <= Date.now()
    )
      throw expiredChallenge();
    return challenge;
  }

  private async countFailure(challenge: MfaChallenge): Promise<void> {
    await this.outbox.write((manager) =>
      manager
        .createQueryBuilder()
        .update(MfaChallenge)
        .set({ failures: () => '"failures" + 1' })
        .where('"id" = :id', { id: challenge.id })
        .execute(),
    );
  }

  private async spendEmailCode(challenge: MfaChallenge, code: string): Promise<MfaMethod> {
    if (
      !challenge.emailCodeHash ||
      !challenge.emailCodeExpiresAt ||
      new Date(challenge.emailCodeExpiresAt).getTime() <= Date.now() ||
      !/^\d{6}$/.test(code) ||
      !sameHash(challenge.emailCodeHash, sha256(code))
    )
      throw wrongCode({ method: 'email' });
    const spent = await this.outbox.write((manager) =>
      manager.update(
        MfaChallenge,
        { id: challenge.id, emailCodeHash: challenge.emailCodeHash as string },
        { emailCodeHash: null },
      ),
    );
    if (spent.affected !== 1) throw wrongCode({ method: 'email' });
    return 'email';
  }

  /** A current code outside a login (turning off, new backup codes), with the same limits. */
  private async proveSecondFactor(user: User, code: string, allowed: MfaMethod[]): Promise<void> {
    await this.withAccountBudget(user, () => this.checkAppOrBackupCode(user, code, allowed));
  }

  /**
   * The account's budget of wrong codes: one is taken before the check (so concurrent guesses
   * cannot all slip under the limit) and given back when the code was right. Each wrong code is
   * recorded as `mfa_failed`.
   */
  private async withAccountBudget<T>(user: User, check: () => Promise<T>): Promise<T> {
    await spendOr429(
      this.failuresByAccount,
      user.id,
      'TOO_MANY_MFA_ATTEMPTS',
      (seconds) => `Too many wrong codes; try again in ${seconds} s`,
    );
    try {
      const result = await check();
      await this.failuresByAccount.reward(user.id);
      return result;
    } catch (error) {
      if (error instanceof AppError && error.getStatus() === 401) {
        await this.outbox.write((_m, out) =>
          out.audit(
            this.audit.event('mfa_failed', user, actor(user), {
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

  private async checkAppOrBackupCode(
    user: User,
    code: string,
    allowed: MfaMethod[],
  ): Promise<MfaMethod> {
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
          this.audit.event('backup_code_used', user, actor(user), { backupCodesLeft: left }),
        );
        return 'backup_code' as const;
      });
    }
    if (!allowed.includes('totp') || !user.totpSecret) throw wrongCode();
    const check = await checkTotp(user.totpSecret, code, user.totpLastStep);
    if (!check.valid) {
      if (check.reused)
        throw new AppError(
          401,
          'MFA_CODE_REUSED',
          'This code was already used; wait for the next one',
          { field: 'code' },
        );
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
    if (taken.affected !== 1)
      throw new AppError(
        401,
        'MFA_CODE_REUSED',
        'This code was already used; wait for the next one',
        {
          field: 'code',
        },
      );
    return 'totp';
  }

  private async enabledUser(userId: string): Promise<User> {
    const user = await this.db.manager.findOneByOrFail(User, { id: userId });
    if (!user.totpSecret)
      throw new AppError(409, 'MFA_NOT_ENABLED', 'Two-factor sign-in is not on for this account');
    return user;
  }

  private async replaceBackupCodes(manager: EntityManager, userId: string): Promise<string[]> {
    await manager.delete(BackupCode, { userId });
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
    await manager.insert(
      BackupCode,
      codes.map((code) => ({ id: randomUUID(), userId, codeHash: backupHash(code), usedAt: null })),
    );
    return codes;
  }
}

const expiredChallenge = () =>
  new AppError(
    401,
    'MFA_CHALLENGE_INVALID',
    'This sign-in has expired, was completed, or had too many wrong codes; log in again',
    { field: 'mfaToken' },
  );

/**
 * Takes one point of `key`'s budget; a spent budget is a 429 with Retry-After (a failure of the
 * limiter's own store still rejects as it is: it is not a verdict).
 */
async function spendOr429(
  limiter: RateLimiterAbstract,
  key: string,
  code: string,
  message: (seconds: number) => string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (reason) {
    if (!isLimitReached(reason)) throw reason;
    const seconds = secondsUntil(reason);
    throw new AppError(429, code, message(seconds), { retryAfterSeconds: seconds });
  }
}
