import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { LoggingClient } from '@mfm/contracts/logging.contract';
import { DataSource } from 'typeorm';
import { transactionRunnerToken } from '../database/module-database';
import { TransactionRunner } from '../database/transaction-runner';
import { ModuleName } from '../topology/module-names';
import { AuditOutbox } from './audit-outbox';
import { OutboxEvent } from './outbox-event.entity';

export const auditOutboxToken = (module: ModuleName): string => `AUDIT_OUTBOX:${module}`;

/** The AuditOutbox of one module, on that module's own database. */
export function auditOutboxProvider(module: ModuleName): Provider {
  return {
    provide: auditOutboxToken(module),
    inject: [getDataSourceToken(module), transactionRunnerToken(module), LoggingClient],
    useFactory: (dataSource: DataSource, tx: TransactionRunner, logging: LoggingClient) =>
      new AuditOutbox(module, dataSource.getRepository(OutboxEvent), tx, logging),
  };
}
