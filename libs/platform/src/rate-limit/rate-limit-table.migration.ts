import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../database/dialect';

export const RATE_LIMIT_TABLE = 'rate_limit';

/**
 * The counters of the module's rate limits, on PostgreSQL only: there several replicas of a
 * module share one database, and must share the counters too. On SQLite one process owns the
 * module's file, so its counters stay in memory. The columns are the ones rate-limiter-flexible's
 * PostgreSQL store reads and writes (key, points, expire in epoch milliseconds).
 */
export class RateLimitTable1764500000000 implements MigrationInterface {
  name = 'RateLimitTable1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (dialectOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(
      `CREATE TABLE "${RATE_LIMIT_TABLE}" ("key" varchar(255) PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (dialectOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(`DROP TABLE IF EXISTS "${RATE_LIMIT_TABLE}"`);
  }
}
