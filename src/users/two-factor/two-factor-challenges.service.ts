import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { createRateLimiter } from '@mfm/platform/rate-limit/rate-limiter-store';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { User } from '../accounts/user.entity';
import { Passkey } from '../passkeys/passkey.entity';
import { sameHash, sha256 } from '../secret-hash';
import { MfaMethod, SecondStep } from './methods';
import { MfaChallenge } from './mfa-challenge.entity';
import { SecondFactorCodes, wrongCode } from './second-factor-codes.service';
import { spendOr429 } from './spend-or-429';

/** How long the second step of a login may take, and how many wrong codes it allows. */
export const CHALLENGE_TTL_SECONDS = 300;
export const CHALLENGE_MAX_FAILURES = 5;
export const EMAIL_CODE_TTL_SECONDS = 600;
export const EMAIL_CODES_PER_CHALLENGE = 3;
const DAY_MS = 24 * 3600 * 1000;

/** What a login to an account with a second factor answers instead of tokens. */
export interface MfaChallengeIssued {
  mfaRequired: true;
  mfaToken: string;
  methods: SecondStep[];
  expiresIn: number;
}

const expiredChallenge = () => UsersErrors.MFA_CHALLENGE_INVALID.error({ field: 'mfaToken' });

/**
 * The second step of a login: a challenge instead of tokens, completed with a code of the app, a
 * backup code, a code mailed for it, or one of the account's passkeys. Wrong codes are limited
 * per challenge and per account.
 */
@Injectable()
export class TwoFactorChallenges {
  private readonly codeMailsByAccount: RateLimiterAbstract;

  constructor(
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly codes: SecondFactorCodes,
    @InjectDataSource('users') private readonly db: DataSource,
  ) {
    this.codeMailsByAccount = createRateLimiter(db, {
      keyPrefix: 'login-code-mail',
      points: config.login.codeMailsPerHour,
      durationSeconds: 3600,
    });
  }

  /** Whether a password login of the account needs a second step: an app or a passkey. */
  async hasSecondFactor(user: User): Promise<boolean> {
    return Boolean(user.totpSecret) || this.db.manager.existsBy(Passkey, { userId: user.id });
  }

  /** The second step of a login for an account with a second factor (an app, a passkey). */
  async issue(user: User): Promise<MfaChallengeIssued> {
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
    if (!user.emailVerifiedAt) throw UsersErrors.EMAIL_NOT_VERIFIED.error();
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
        throw UsersErrors.TOO_MANY_EMAIL_CODES.error({ max: EMAIL_CODES_PER_CHALLENGE });
      }
      await out.mail(
        { userId: user.id },
        { template: 'login_code', data: { name: user.firstName, code } },
      );
    });
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
    if (!user.enabled) throw UsersErrors.ACCOUNT_DISABLED.error();
    const used = await this.codes
      .withAccountBudget(user, async () => {
        if (method === 'email') return this.spendEmailCode(challenge, code);
        return this.codes.check(user, code, method ? [method] : ['totp', 'backup_code']);
      })
      .catch(async (error: unknown) => {
        if (error instanceof AppError && error.getStatus() === 401)
          await this.countFailure(challenge);
        throw error;
      });
    await this.markCompleted(challenge);
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
      throw UsersErrors.PASSKEY_OTHER_ACCOUNT.error({ field: 'credential' });
    }
    await this.markCompleted(challenge);
    return user;
  }

  /** One mail from the account's hourly budget of sign-in codes, or 429 with Retry-After. */
  private takeCodeMail(user: User): Promise<void> {
    return spendOr429(
      this.codeMailsByAccount,
      user.id,
      UsersErrors.TOO_MANY_EMAIL_CODES_FOR_ACCOUNT,
    );
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

  /** A challenge completes once: of two concurrent completions, the second is refused. */
  private async markCompleted(challenge: MfaChallenge): Promise<void> {
    const done = await this.outbox.write((manager) =>
      manager.update(
        MfaChallenge,
        { id: challenge.id, completedAt: IsNull() },
        { completedAt: new Date() },
      ),
    );
    if (done.affected !== 1) throw expiredChallenge();
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
}
