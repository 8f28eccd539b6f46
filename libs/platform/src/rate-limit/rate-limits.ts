import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { RateLimitDefinition } from '../config/rate-limit-rules';
import { createRateLimiter, isLimitReached, secondsUntil } from './rate-limiter-store';

/** Where a budget stands after one request: what the RateLimit-* headers tell the client. */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (and, when refused, until a retry can succeed). */
  resetSeconds: number;
}

/**
 * The named request limits of one module (`@RateLimit(SearchLimits.search)`), counted in that module's
 * store: its PostgreSQL database when it has one, else this process's memory.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource | undefined,
  ) {}

  private limiter({ name, defaults }: RateLimitDefinition): RateLimiterAbstract {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      // A limit the loader was not given (a tool's configuration) keeps its default.
      const rule = this.config.rateLimits[name] ?? defaults;
      limiter = createRateLimiter(this.dataSource, {
        keyPrefix: `rl-${name}`,
        points: rule.points,
        durationSeconds: rule.durationSeconds,
      });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  /** Counts one request against `key`'s budget of the limit; refused once the budget is spent. */
  async take(limit: RateLimitDefinition, key: string): Promise<RateLimitState> {
    const limiter = this.limiter(limit);
    let res: RateLimiterRes;
    let allowed = true;
    try {
      res = await limiter.consume(key);
    } catch (reason) {
      if (!isLimitReached(reason)) throw reason; // the store failed: not a verdict
      res = reason;
      allowed = false;
    }
    return {
      allowed,
      limit: limiter.points,
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: secondsUntil(res),
    };
  }
}
