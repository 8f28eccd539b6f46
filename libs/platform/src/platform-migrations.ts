import { StorageProbe1764400000000 } from './database/storage-probe.migration';
import { OutboxClaims1764700000000 } from './outbox/outbox-claims.migration';
import { RateLimitTable1764500000000 } from './rate-limit/rate-limit-table.migration';

/**
 * Tables the platform's own parts keep in every module database, after the module's own: the
 * storage probe, the rate limiter's shared counters and the outbox's claims. The database wiring
 * gets the last two from PlatformModule (it knows neither the rate limiter nor the outbox);
 * commands and unit tests that open a module database by hand take the whole list from here.
 */
export const PLATFORM_TABLE_MIGRATIONS = [RateLimitTable1764500000000, OutboxClaims1764700000000];

export const PLATFORM_MIGRATIONS = [StorageProbe1764400000000, ...PLATFORM_TABLE_MIGRATIONS];
