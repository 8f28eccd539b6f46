import { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { batchBudget } from '../rpc/frame-budget';
import { transactionRunnerToken } from '../database/module-database';
import { TransactionRunner } from '../database/transaction-runner';
import { RpcClient } from '../rpc/rpc-client';
import { rpcClientToken } from '../rpc/rpc-client.tokens';
import { Metrics } from '../metrics/metrics';
import { ShutdownState } from '../shutdown/shutdown-state';
import { ModuleName } from '../topology/module-names';
import { dataKeyRing } from '../crypto/data-keys';
import { MAIL_SEAL_CONTEXT, MAIL_TARGET, StoredMail } from '../mail/mail-message';
import { MailDelivery } from '../mail/mail-delivery';
import { OUTBOX_MESSAGES, Outbox, OutboxMessages } from './outbox';
import { OutboxMessage } from './outbox-message.entity';

export const outboxToken = (module: ModuleName): string => `OUTBOX:${module}`;

/**
 * The Outbox of one module, on that module's own database (add OutboxMessage to its entities).
 * `sealMail`: its mail waits encrypted under the data keys (mail with personal data or secrets).
 */
export function outboxProvider(module: ModuleName, { sealMail = false } = {}): Provider {
  return {
    provide: outboxToken(module),
    inject: [
      getDataSourceToken(module),
      transactionRunnerToken(module),
      ModuleRef,
      APP_CONFIG,
      MailDelivery,
      Metrics,
      ShutdownState,
      OUTBOX_MESSAGES,
    ],
    useFactory: (
      dataSource: DataSource,
      tx: TransactionRunner,
      moduleRef: ModuleRef,
      config: AppConfig,
      mail: MailDelivery,
      metrics: Metrics,
      shutdown: ShutdownState,
      messages: OutboxMessages<unknown>,
    ) =>
      new Outbox(
        module,
        dataSource.getRepository(OutboxMessage),
        tx,
        // Deliveries call as this module, which the receiver checks against who may send them.
        (target) =>
          target === MAIL_TARGET
            ? {
                send: async (_pattern, payload) =>
                  mail.deliver(payload as StoredMail, module) as never,
              }
            : moduleRef.get<RpcClient>(rpcClientToken(target), { strict: false }).as(module),
        {
          messages,
          batchBudget: batchBudget(config),
          leaseMs: config.outboxLeaseMs,
          metrics,
          shutdown,
          sealMail: sealMail
            ? (json: string) => dataKeyRing(config).seal(json, MAIL_SEAL_CONTEXT)
            : undefined,
        },
      ),
  };
}
