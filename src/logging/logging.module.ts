import { Module } from '@nestjs/common';
import { BACKUP_HEALTH_TOKEN } from '@mfm/platform/backup/backup-health';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';
import { AuditLogService } from './audit-log.service';
import { AuditRetentionService } from './audit-retention.service';
import { BackupSchedule } from './backups/backup-schedule.service';
import { BackupsController } from './backups/backups.controller';
import { BackupsService } from './backups/backups.service';
import { LoggingClassicAdapter } from './classic/logging-classic.adapter';
import { LoggingHandlers } from './logging.handlers';
import { LogsController } from './logs.controller';
import { LOGGING_ENTITIES, LOGGING_MIGRATIONS } from './logging-schema';

/**
 * The central audit log: every successful state change of every module; and the store's backups
 * (operations: the process that keeps the log also keeps the backups and their schedule).
 */
@Module({
  imports: [
    moduleDatabase('logging', {
      entities: LOGGING_ENTITIES,
      migrations: LOGGING_MIGRATIONS,
    }),
  ],
  controllers: [LogsController, BackupsController, LoggingHandlers],
  providers: [
    ...peerClients('logging'),
    AuditLogService,
    AuditRetentionService,
    BackupsService,
    rateLimitsProvider('logging'),
    BackupSchedule,
    { provide: BACKUP_HEALTH_TOKEN, useExisting: BackupSchedule },
    LoggingClassicAdapter,
    { provide: classicAdapterToken('logging'), useExisting: LoggingClassicAdapter },
  ],
})
export class LoggingModule {}
