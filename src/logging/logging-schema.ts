import { AuditEvent } from './entities/audit-event.entity';
import { LoggingInitial1763900000001 } from './migrations/1763900000001-logging-initial';
import { LoggingRetentionIndex1764400000001 } from './migrations/1764400000001-logging-retention-index';
import { LoggingQueryIndexes1766000000001 } from './migrations/1766000000001-logging-query-indexes';

/** The logging database: its entities and migrations, for the module and its tests. */
export const LOGGING_ENTITIES = [AuditEvent];
export const LOGGING_MIGRATIONS = [
  LoggingInitial1763900000001,
  LoggingRetentionIndex1764400000001,
  LoggingQueryIndexes1766000000001,
];
