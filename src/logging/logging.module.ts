import { Module } from '@nestjs/common';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { AuditLogService } from './audit-log.service';
import { AuditRetentionService } from './audit-retention.service';
import { LoggingClassicAdapter } from './classic/logging-classic.adapter';
import { LoggingHandlers } from './logging.handlers';
import { LogsController } from './logs.controller';
import { LOGGING_ENTITIES, LOGGING_MIGRATIONS } from './logging-schema';

/** The central audit log: every successful state change of every module. */
@Module({
  imports: [
    moduleDatabase('logging', {
      entities: LOGGING_ENTITIES,
      migrations: LOGGING_MIGRATIONS,
    }),
  ],
  controllers: [LogsController, LoggingHandlers],
  providers: [
    ...peerClients('logging'),
    AuditLogService,
    AuditRetentionService,
    LoggingClassicAdapter,
    { provide: classicAdapterToken('logging'), useExisting: LoggingClassicAdapter },
  ],
})
export class LoggingModule {}
