import { Provider } from '@nestjs/common';
import { ClientProxy, ClientTCP } from '@nestjs/microservices';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import { ProcessContext } from '../topology/process-context';
import { InProcessBus, InProcessClient } from './in-process.transport';
import { NoDelayJsonSocket } from './no-delay-json-socket';
import { RpcClient } from './rpc-client';
import { rpcClientToken } from './rpc-client.tokens';

/**
 * One RpcClient per module. The topology decides the transport here and nowhere else:
 * a module hosted in this process is called in-process, any other over TCP.
 */
export function rpcClientProviders(): Provider[] {
  return MODULE_NAMES.map((peer) => ({
    provide: rpcClientToken(peer),
    inject: [APP_CONFIG, ProcessContext, InProcessBus],
    useFactory: (config: AppConfig, context: ProcessContext, bus: InProcessBus) =>
      new RpcClient(
        peer,
        createProxy(peer, config, context, bus),
        config.rpcTimeoutMs,
        context.label,
      ),
  }));
}

function createProxy(
  peer: ModuleName,
  config: AppConfig,
  context: ProcessContext,
  bus: InProcessBus,
): ClientProxy<Record<never, never>, string> {
  if (context.isLocal(peer)) return new InProcessClient(bus);
  const { host, tcpPort } = config.modules[peer];
  return new ClientTCP({
    host,
    port: tcpPort,
    socketClass: NoDelayJsonSocket,
  }) as unknown as ClientProxy;
}
