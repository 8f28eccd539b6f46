import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Slows password guessing: too many failed logins for one username, or from one client address,
 * within the window → 429 with Retry-After. Only failures count, and the block lifts when the
 * window passes, so the real owner is never locked out for good. A success clears the username.
 */
@Injectable()
export class LoginThrottle {
  private readonly byUsername: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const duration = config.login.failureWindowSeconds;
    this.byUsername = new RateLimiterMemory({
      keyPrefix: 'login-user',
      points: config.login.maxFailuresPerUsername,
      duration,
    });
    this.byAddress = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: config.login.maxFailuresPerIp,
      duration,
    });
  }

  async assertAllowed(username: string, address: string): Promise<void> {
    const [user, ip] = await Promise.all([
      this.byUsername.get(key(username)),
      this.byAddress.get(address),
    ]);
    const blocks = [
      { scope: 'username' as const, ms: blockedFor(user, this.byUsername.points) },
      { scope: 'address' as const, ms: blockedFor(ip, this.byAddress.points) },
    ].filter(
      (block): block is { scope: 'username' | 'address'; ms: number } => block.ms !== undefined,
    );
    if (blocks.length > 0) {
      const longest = blocks.reduce((a, b) => (b.ms > a.ms ? b : a));
      const retryAfterSeconds = Math.max(1, Math.ceil(longest.ms / 1000));
      throw new AppError(
        429,
        'TOO_MANY_LOGIN_ATTEMPTS',
        `Too many failed logins; try again in ${retryAfterSeconds} s`,
        {
          retryAfterSeconds,
          // Which limit applies: the caller learns nothing it did not already know, the operator a lot.
          scope: longest.scope,
        },
      );
    }
  }

  async recordFailure(username: string, address: string): Promise<void> {
    // consume() rejects once the limit is passed; that is the point, not an error.
    await Promise.allSettled([
      this.byUsername.consume(key(username)),
      this.byAddress.consume(address),
    ]);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.byUsername.delete(key(username));
  }
}

const key = (username: string) => username.trim().toLowerCase();

function blockedFor(res: RateLimiterRes | null, points: number): number | undefined {
  return res && res.consumedPoints >= points ? res.msBeforeNext : undefined;
}
