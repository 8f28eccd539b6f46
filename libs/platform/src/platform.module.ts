import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { BearerAuthGuard, RolesGuard } from './auth/auth.guards';
import { BearerStrategy } from './auth/bearer.strategy';
import { BUS_CREDENTIALS, BusCredentials } from './bus/bus-credentials';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { EXTRA_MIGRATIONS } from './database/module-database';
import { AllExceptionsFilter } from './filters/all-exceptions.filter';
import { HealthController } from './health/health.controller';
import { pingController } from './health/ping.controller';
import { StoreStatusController, statusController } from './health/status.controller';
import { snapshotController } from './backup/snapshot.controller';
import { ModuleDocs, moduleDocsController } from './http/module-docs';
import { loggerModule } from './logging/logger.module';
import { MailDelivery } from './mail/mail-delivery';
import { Metrics } from './metrics/metrics';
import { ShutdownState } from './shutdown/shutdown-state';
import { InProcessBus } from './rpc/in-process.transport';
import { rpcClientProviders } from './rpc/rpc-clients.providers';
import { ProcessContext } from './topology/process-context';
import { MODULE_PEERS_TOKEN, ModulePeers } from './topology/module-peers';
import { PLATFORM_TABLE_MIGRATIONS } from './platform-migrations';
import { createValidationPipe } from './validation/validation.pipe';

export interface PlatformOptions {
  config: AppConfig;
  context: ProcessContext;
  bus: InProcessBus;
  /** Mutual TLS material of the TCP bus; absent when this process hosts all five modules. */
  busCredentials?: BusCredentials;
  /** The process's Prometheus registry and its series. */
  metrics: Metrics;
  /** Draining and in-flight work, for a graceful shutdown. */
  shutdown: ShutdownState;
  /** Who calls whom: /ready checks the peers of the hosted modules. */
  peers: ModulePeers;
  /**
   * What the platform asks of the modules, bound by the application: TOKEN_VERIFIER (the token
   * check of every route), MAIL_CONTACTS (account addresses for mail), MAIL_TEMPLATES (how each
   * mail renders) and OUTBOX_MESSAGES (audit events and batches of the outboxes), plus any client
   * they are built on. Each process exports them to all of its modules.
   */
  bindings: Provider[];
}

/** The token a provider is injected by. */
const tokenOf = (provider: Provider) => ('provide' in provider ? provider.provide : provider);

/**
 * Cross-cutting pieces every process has, whatever modules it hosts: configuration, the RPC
 * clients of all five modules, one error shape, validation, request ids, logs, auth, health.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config, context, bus, busCredentials, metrics, shutdown, peers, bindings } = options;
    const rpcClients = rpcClientProviders();
    return {
      module: PlatformModule,
      imports: [loggerModule(config, context), PassportModule, TerminusModule],
      controllers: [
        HealthController,
        StoreStatusController,
        ...[...context.hosted].map(pingController),
        ...[...context.hosted].map(statusController),
        ...[...context.hosted].map(snapshotController),
        ...[...context.hosted].map(moduleDocsController),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ProcessContext, useValue: context },
        { provide: InProcessBus, useValue: bus },
        { provide: BUS_CREDENTIALS, useValue: busCredentials ?? null },
        { provide: Metrics, useValue: metrics },
        { provide: ShutdownState, useValue: shutdown },
        { provide: MODULE_PEERS_TOKEN, useValue: peers },
        { provide: EXTRA_MIGRATIONS, useValue: PLATFORM_TABLE_MIGRATIONS },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ...rpcClients,
        ...bindings,
        BearerStrategy,
        BearerAuthGuard,
        RolesGuard,
        ModuleDocs,
        MailDelivery,
      ],
      exports: [
        APP_CONFIG,
        EXTRA_MIGRATIONS,
        ProcessContext,
        InProcessBus,
        Metrics,
        ShutdownState,
        ...rpcClients,
        ...bindings.map(tokenOf),
        BearerAuthGuard,
        RolesGuard,
        MailDelivery,
      ],
    };
  }
}
