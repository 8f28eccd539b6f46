import { Module } from '@nestjs/common';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { AuditLogService } from './audit-log.service';
import { LoggingClassicAdapter } from './classic/logging-classic.adapter';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { AuditEvent } from './entities/audit-event.entity';
import { LoggingHandlers } from './logging.handlers';
import { LogsController } from './logs.controller';
import { LoggingInitial1763900000001 } from './migrations/1763900000001-logging-initial';

/** The central audit log: every successful state change of every module. */
@Module({
  imports: [
    moduleDatabase('logging', {
      entities: [AuditEvent],
      migrations: [LoggingInitial1763900000001],
    }),
  ],
  controllers: [LogsController, LoggingHandlers],
  providers: [
    AuditLogService,
    LoggingClassicAdapter,
    { provide: classicAdapterToken('logging'), useExisting: LoggingClassicAdapter },
  ],
})
export class LoggingModule {}
