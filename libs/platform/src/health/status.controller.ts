import { Controller, Get, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RpcHandler } from '../rpc/rpc-handler.decorator';
import { Public } from '../auth/auth.decorators';
import { transactionRunnerToken } from '../database/module-database';
import { TransactionRunner } from '../database/transaction-runner';
import { RpcClient } from '../rpc/rpc-client';
import { rpcClientToken } from '../rpc/rpc-client.tokens';
import { ShutdownState } from '../shutdown/shutdown-state';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import { ProcessContext } from '../topology/process-context';
import { appVersion } from './app-version';
import { ModuleStatus, StoreStatus } from './status.response';

/** Each module tells its status, so any process can show the whole store's. */
export const statusPattern = (module: ModuleName): string => `${module}.status`;

const STATUS_TIMEOUT_MS = 1000;

/** The circuit breakers of this process's calls, per peer and pattern. */
export function circuitsOf(moduleRef: ModuleRef): Record<string, Record<string, string>> {
  const circuits: Record<string, Record<string, string>> = {};
  for (const peer of MODULE_NAMES) {
    const client = moduleRef.get<RpcClient>(rpcClientToken(peer), { strict: false });
    const states = client.circuits();
    if (Object.keys(states).length > 0) circuits[peer] = states;
  }
  return circuits;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `<module>.status`: this module's database, storage, draining state, version and circuits. */
export function statusController(module: ModuleName): Type {
  @Controller()
  class StatusHandler {
    constructor(
      private readonly moduleRef: ModuleRef,
      private readonly context: ProcessContext,
      private readonly shutdown: ShutdownState,
    ) {}

    @RpcHandler(statusPattern(module))
    async status(): Promise<ModuleStatus> {
      const dataSource = this.moduleRef.get<DataSource>(getDataSourceToken(module), {
        strict: false,
      });
      const runner = this.moduleRef.get<TransactionRunner>(transactionRunnerToken(module), {
        strict: false,
      });
      const database = await withTimeout(dataSource.query('SELECT 1'), STATUS_TIMEOUT_MS).then(
        () => 'up' as const,
        () => 'down' as const,
      );
      const storage = runner.storage.writable ? ('up' as const) : ('down' as const);
      const draining = this.shutdown.draining;
      return {
        module,
        status: database === 'up' && storage === 'up' && !draining ? 'up' : 'down',
        version: appVersion(),
        process: this.context.label,
        checks: { database, storage, draining },
        circuits: circuitsOf(this.moduleRef),
      };
    }
  }
  Object.defineProperty(StatusHandler, 'name', { value: `${module}StatusHandler` });
  return StatusHandler;
}

@ApiTags('health')
@Controller('api/status')
export class StoreStatusController {
  constructor(private readonly moduleRef: ModuleRef) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getStoreStatus',
    summary: "Every module's readiness, version and circuit breakers, in one answer",
    description:
      'Asks each of the five modules (in this process or over the bus, 1 s each). A module that ' +
      'does not answer is listed as down with the reason; the answer itself is always 200.',
  })
  @ApiOkResponse({ type: StoreStatus })
  async status(): Promise<StoreStatus> {
    const modules = await Promise.all(
      MODULE_NAMES.map(async (module): Promise<ModuleStatus> => {
        const client = this.moduleRef.get<RpcClient>(rpcClientToken(module), { strict: false });
        try {
          return await client.send<ModuleStatus>(
            statusPattern(module),
            {},
            { idempotent: true, timeoutMs: STATUS_TIMEOUT_MS },
          );
        } catch (error) {
          return { module, status: 'down', error: (error as Error).message };
        }
      }),
    );
    return {
      status: modules.every((m) => m.status === 'up') ? 'ok' : 'degraded',
      version: appVersion(),
      modules,
    };
  }
}
