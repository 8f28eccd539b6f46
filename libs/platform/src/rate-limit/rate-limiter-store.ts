import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { dialectOf } from '../database/dialect';
import { RATE_LIMIT_TABLE } from './rate-limit-table.migration';

export interface LimiterOptions {
  /** Names the counter family, e.g. `login-user`; keys are stored as `<prefix>:<key>`. */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/**
 * A fixed-window counter kept where the module keeps its data: in the module's PostgreSQL
 * database (table `rate_limit`, shared by every replica) or, for a module on SQLite, in this
 * process's memory. `consume` is atomic in both (one upsert on PostgreSQL), so concurrent
 * requests can never all slip under the limit.
 */
export function createRateLimiter(
  dataSource: DataSource | undefined,
  { keyPrefix, points, durationSeconds }: LimiterOptions,
): RateLimiterAbstract {
  if (dataSource && dialectOf(dataSource) === 'postgres') {
    return new RateLimiterPostgres({
      storeClient: dataSource,
      storeType: 'typeorm', // queries go through the module's own connection pool
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true, // by the module's migrations
      keyPrefix,
      points,
      duration: durationSeconds,
    });
  }
  return new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
}

/** What a refused `consume` rejects with (the store's own failures reject with an Error). */
export function isLimitReached(reason: unknown): reason is RateLimiterRes {
  return reason instanceof RateLimiterRes;
}

/** Whole seconds until a window resets, at least 1 (for Retry-After and RateLimit-Reset). */
export const secondsUntil = (res: RateLimiterRes): number =>
  Math.max(1, Math.ceil(res.msBeforeNext / 1000));
