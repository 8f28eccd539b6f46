import { Provider } from '@nestjs/common';
import { ClientProxy, ClientTCP } from '@nestjs/microservices';
import { BUS_CREDENTIALS, BusCredentials } from '../bus/bus-credentials';
import { busClientTlsOptions } from '../bus/bus-tls-options';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import { ProcessContext } from '../topology/process-context';
import { InProcessBus, InProcessClient } from './in-process.transport';
import { busSocketClass } from './no-delay-json-socket';
import { RpcClient } from './rpc-client';
import { rpcClientToken } from './rpc-client.tokens';

/**
 * One RpcClient per module. The topology decides the transport here and nowhere else:
 * a module hosted in this process is called in-process, any other over TCP with mutual TLS.
 */
export function rpcClientProviders(): Provider[] {
  return MODULE_NAMES.map((peer) => ({
    provide: rpcClientToken(peer),
    inject: [APP_CONFIG, ProcessContext, InProcessBus, BUS_CREDENTIALS],
    useFactory: (
      config: AppConfig,
      context: ProcessContext,
      bus: InProcessBus,
      credentials: BusCredentials | null,
    ) => {
      if (context.isLocal(peer))
        return new RpcClient(peer, new InProcessClient(bus), config.rpcTimeoutMs, context.label);
      if (!credentials) throw new Error(`Calling ${peer} over TCP needs the bus credentials`);
      const connect = () => tcpProxy(peer, config, context, credentials);
      return new RpcClient(peer, connect(), config.rpcTimeoutMs, context.label, {
        reconnect: connect,
      });
    },
  }));
}

function tcpProxy(
  peer: ModuleName,
  config: AppConfig,
  context: ProcessContext,
  credentials: BusCredentials,
): ClientProxy {
  const { host, tcpPort } = config.modules[peer];
  // A process hosting several modules calls as the first of them.
  const [self] = [...context.hosted];
  return new ClientTCP({
    host,
    port: tcpPort,
    tlsOptions: busClientTlsOptions(credentials, self, peer),
    socketClass: busSocketClass(config.bus),
  }) as unknown as ClientProxy;
}
