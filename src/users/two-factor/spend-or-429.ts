import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { TemplatedError } from '@mfm/platform/errors/error-codes';
import { isLimitReached, secondsUntil } from '@mfm/platform/rate-limit/rate-limiter-store';

/**
 * Takes one point of `key`'s budget; a spent budget is a 429 with Retry-After (a failure of the
 * limiter's own store still rejects as it is: it is not a verdict).
 */
export async function spendOr429(
  limiter: RateLimiterAbstract,
  key: string,
  refusal: TemplatedError<{ seconds: number }>,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (reason) {
    if (!isLimitReached(reason)) throw reason;
    const seconds = secondsUntil(reason);
    throw refusal.error({ seconds }, { retryAfterSeconds: seconds });
  }
}
