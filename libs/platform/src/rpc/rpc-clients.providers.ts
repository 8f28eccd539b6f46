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
    useFactory: (config: AppConfig, context: ProcessContext, bus: InProcessBus) => {
      if (context.isLocal(peer))
        return new RpcClient(peer, new InProcessClient(bus), config.rpcTimeoutMs, context.label);
      const connect = () => tcpProxy(peer, config);
      return new RpcClient(peer, connect(), config.rpcTimeoutMs, context.label, {
        reconnect: connect,
      });
    },
  }));
}

function tcpProxy(peer: ModuleName, config: AppConfig): ClientProxy {
  const { host, tcpPort } = config.modules[peer];
  return new ClientTCP({
    host,
    port: tcpPort,
    socketClass: NoDelayJsonSocket,
  }) as unknown as ClientProxy;
}
