import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { transactionRunnerToken } from '../database/module-database';
import { TransactionRunner } from '../database/transaction-runner';
import { PlatformErrors } from '../errors/error-codes';
import { RpcClient } from '../rpc/rpc-client';
import { rpcClientToken } from '../rpc/rpc-client.tokens';
import { BACKUP_HEALTH_TOKEN, BackupHealth } from '../backup/backup-health';
import { pingPattern } from '../rpc/ping';
import { MODULE_PEERS_TOKEN, ModulePeers } from '../topology/module-peers';
import { ModuleName } from '../topology/module-names';
import { ProcessContext } from '../topology/process-context';
import { ShutdownState } from '../shutdown/shutdown-state';
import { circuitsOf } from './status.controller';

const PEER_CHECK_TIMEOUT_MS = 1000;

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly context: ProcessContext,
    private readonly moduleRef: ModuleRef,
    private readonly shutdown: ShutdownState,
    @Inject(MODULE_PEERS_TOKEN) private readonly peers: ModulePeers,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process is up and serving HTTP',
  })
  @ApiOkResponse({
    description: 'Alive',
    schema: { example: { status: 'ok', services: ['users'] } },
  })
  live(): { status: 'ok'; services: string[] } {
    return { status: 'ok', services: [...this.context.hosted] };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({
    operationId: 'getReadiness',
    summary:
      "Readiness: this process's databases answer and take writes, and the peers its modules call answer",
  })
  @ApiServiceUnavailableResponse({
    description:
      'A database is not answering or refuses writes (disk full, I/O error), or a peer is down',
  })
  async ready(): Promise<HealthCheckResult> {
    // A process that is shutting down takes no new traffic: the load balancer stops sending it.
    if (this.shutdown.draining) throw PlatformErrors.NOT_READY_SHUTTING_DOWN.error();
    const hosted = [...this.context.hosted];
    const peers = [...new Set(hosted.flatMap((module) => this.peers[module]))].filter(
      (peer) => !this.context.isLocal(peer),
    );
    try {
      return await this.health.check([
        ...hosted.map(
          (module) => () =>
            this.db.pingCheck(`${module}-db`, {
              connection: this.dataSource(module),
              timeout: 1000,
            }),
        ),
        ...hosted.map((module) => () => this.storageCheck(module)),
        ...peers.map((peer) => () => this.peerCheck(peer)),
        // Informational: an open circuit means a peer keeps failing (its peer check says so
        // too); it does not take this process out of rotation by itself.
        () => this.indicators.check('circuits').up(circuitsOf(this.moduleRef)),
        ...this.backupCheck(),
      ]);
    } catch (error) {
      // Terminus' own 503 says only "Service Unavailable Exception": name what is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw PlatformErrors.NOT_READY.error({ down }, result.details);
    }
  }

  /**
   * Informational too, where the backups are kept: a backup older than its schedule allows is
   * a warning for the operator, not a reason to take this process out of rotation.
   */
  private backupCheck(): Array<() => HealthIndicatorResult> {
    let backups: BackupHealth;
    try {
      backups = this.moduleRef.get<BackupHealth>(BACKUP_HEALTH_TOKEN, { strict: false });
    } catch {
      return [];
    }
    return [
      () => {
        const warning = backups.warning();
        return this.indicators.check('backups').up({
          lastGoodAt: backups.lastGoodAt(),
          ...(warning && { warning }),
        });
      },
    ];
  }

  private dataSource(module: ModuleName): DataSource {
    return this.moduleRef.get<DataSource>(getDataSourceToken(module), { strict: false });
  }

  /** While writes fail, a probe write decides: ready again as soon as storage takes writes. */
  private async storageCheck(module: ModuleName): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(`${module}-storage`);
    const runner = this.moduleRef.get<TransactionRunner>(transactionRunnerToken(module), {
      strict: false,
    });
    if (runner.storage.writable || (await runner.probe())) return indicator.up({ writable: true });
    return indicator.down({ ...runner.storage });
  }

  private async peerCheck(peer: ModuleName): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(`${peer}-peer`);
    const client = this.moduleRef.get<RpcClient>(rpcClientToken(peer), { strict: false });
    try {
      await client.send(pingPattern(peer), {}, { timeoutMs: PEER_CHECK_TIMEOUT_MS });
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
