import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { AuditLogService } from './audit-log.service';
import { AuditEvent } from './entities/audit-event.entity';
import { LOGGING_ENTITIES, LOGGING_MIGRATIONS } from './logging-schema';

/**
 * The logging database in memory, migrated as on start, and the audit log over it: the module's
 * unit tests run on real SQL. `watch` passes a logger to see the queries the log runs.
 */
export async function loggingTestDb(
  watch: Pick<DataSourceOptions, 'logging' | 'logger'> = {},
): Promise<{ db: DataSource; log: AuditLogService }> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: LOGGING_ENTITIES,
    migrations: LOGGING_MIGRATIONS,
    migrationsRun: true,
    ...watch,
  });
  await db.initialize();
  const log = new AuditLogService(
    db.getRepository(AuditEvent),
    new TransactionRunner(db, 'logging'),
  );
  return { db, log };
}
