import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { addressKey } from '@mfm/platform/http/client-address';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import {
  createRateLimiter,
  isLimitReached,
  secondsUntil,
} from '@mfm/platform/rate-limit/rate-limiter-store';

/** One login attempt that holds a place in both budgets until its outcome is known. */
export interface LoginAttempt {
  /** The password was right: the attempt is given back, and the account's failures are cleared. */
  passed(): Promise<void>;
  /** The password was never checked (e.g. the storage failed): the attempt is given back. */
  withdrawn(): Promise<void>;
  /** The credentials were wrong: the attempt keeps its place in both budgets (counted in /metrics). */
  failed(): void;
}

/**
 * Whose budget a password check takes from: an existing account by its id (so its username and
 * its email address share one budget), or, for a name no account has, that name.
 */
export type LoginSubject = { accountId: string } | { identifier: string };

/**
 * Slows password guessing: at most N failed password checks for one account, and M from one
 * client address, within the window; past that 429 with Retry-After. The attempt is counted
 * (atomically, in the users module's store) before the password is checked and given back when
 * the password was right, so however many guesses arrive at once, no more than the limit reach
 * the check. The block lifts when the window passes, so the real owner is never locked out for
 * good. Every check of an account's password counts here: login by username or by email address,
 * and the password asked again by the account's own security routes.
 */
@Injectable()
export class LoginThrottle {
  private readonly byUsername: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource('users') dataSource?: DataSource,
    @Optional() private readonly metrics?: Metrics,
  ) {
    const durationSeconds = config.login.failureWindowSeconds;
    this.byUsername = createRateLimiter(dataSource, {
      keyPrefix: 'login-user',
      points: config.login.maxFailuresPerUsername,
      durationSeconds,
    });
    this.byAddress = createRateLimiter(dataSource, {
      keyPrefix: 'login-ip',
      points: config.login.maxFailuresPerIp,
      durationSeconds,
    });
  }

  /** Takes one attempt from the account's and the address's budgets, or refuses with 429. */
  async begin(subject: LoginSubject, address: string): Promise<LoginAttempt> {
    const userKey = key(subject);
    const ipKey = addressKey(address);
    const [user, ip] = await Promise.allSettled([
      this.byUsername.consume(userKey),
      this.byAddress.consume(ipKey),
    ]);
    const giveBack = async () => {
      // Only what this attempt took: a budget that refused it was not charged for a check.
      await Promise.all([
        user.status === 'fulfilled' ? this.byUsername.reward(userKey) : undefined,
        ip.status === 'fulfilled' ? this.byAddress.reward(ipKey) : undefined,
      ]);
    };
    const failed = [user, ip].filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      await giveBack();
      const storeError = failed.find((r) => !isLimitReached(r.reason));
      if (storeError) throw storeError.reason; // the store failed: no verdict either way
      const blocks = [
        { scope: 'account' as const, result: user },
        { scope: 'address' as const, result: ip },
      ]
        .filter((b) => b.result.status === 'rejected')
        .map((b) => ({
          scope: b.scope,
          seconds: secondsUntil((b.result as PromiseRejectedResult).reason as RateLimiterRes),
        }));
      const longest = blocks.reduce((a, b) => (b.seconds > a.seconds ? b : a));
      this.metrics?.logins.inc({ outcome: 'throttled' });
      throw UsersErrors.TOO_MANY_LOGIN_ATTEMPTS.error(
        { seconds: longest.seconds },
        {
          retryAfterSeconds: longest.seconds,
          // Which limit applies: the caller learns nothing it did not already know, the operator a lot.
          scope: longest.scope,
        },
      );
    }
    return {
      passed: async () => {
        this.metrics?.logins.inc({ outcome: 'success' });
        await Promise.all([this.byUsername.delete(userKey), this.byAddress.reward(ipKey)]);
      },
      withdrawn: giveBack,
      failed: () => this.metrics?.logins.inc({ outcome: 'failure' }),
    };
  }
}

const key = (subject: LoginSubject): string =>
  'accountId' in subject
    ? `id:${subject.accountId}`
    : `name:${subject.identifier.trim().toLowerCase()}`;
