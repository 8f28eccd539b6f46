import { Provider } from '@nestjs/common';
import { ClientProxy, ClientTCP } from '@nestjs/microservices';
import { BUS_CREDENTIALS, BusCredentials } from '../bus/bus-credentials';
import { busClientTlsOptions } from '../bus/bus-tls-options';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
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
    inject: [APP_CONFIG, ProcessContext, InProcessBus, BUS_CREDENTIALS, Metrics],
    useFactory: (
      config: AppConfig,
      context: ProcessContext,
      bus: InProcessBus,
      credentials: BusCredentials | null,
      metrics: Metrics,
    ) => {
      const options = { metrics, breaker: config.circuitBreaker };
      // Calls are made as the first hosted module unless a module's own client asks to call as
      // itself (RpcClient.as): one connection per module that calls, each with its certificate.
      const [first] = [...context.hosted];
      const connectAs = (self: ModuleName): RpcClient => {
        const identity = {
          self,
          connectAs: self === first ? connectAs : (other: ModuleName) => main.as(other),
        };
        if (context.isLocal(peer))
          return new RpcClient(
            peer,
            new InProcessClient(bus, self),
            config.rpcTimeoutMs,
            context.label,
            { ...options, ...identity },
          );
        if (!credentials) throw new Error(`Calling ${peer} over TCP needs the bus credentials`);
        // One connection factory per replica of the peer, called in turn.
        const [connect, ...others] = config.modules[peer].tcpAddresses.map(
          (address) => () => tcpProxy(peer, address, config, self, credentials),
        );
        return new RpcClient(peer, connect(), config.rpcTimeoutMs, context.label, {
          ...options,
          ...identity,
          reconnect: connect,
          replicas: others,
        });
      };
      const main = connectAs(first);
      return main;
    },
  }));
}

/**
 * A client of `peer` over the bus, calling as `self` with its credentials, outside a running
 * store (a command that acts as one of the modules). Close it when done.
 */
export function busClient(
  peer: ModuleName,
  config: AppConfig,
  self: ModuleName,
  credentials: BusCredentials,
): RpcClient {
  const [connect, ...others] = config.modules[peer].tcpAddresses.map(
    (address) => () => tcpProxy(peer, address, config, self, credentials),
  );
  return new RpcClient(peer, connect(), config.rpcTimeoutMs, `command as ${self}`, {
    self,
    reconnect: connect,
    replicas: others,
  });
}

function tcpProxy(
  peer: ModuleName,
  { host, port }: { host: string; port: number },
  config: AppConfig,
  self: ModuleName,
  credentials: BusCredentials,
): ClientProxy {
  return new ClientTCP({
    host,
    port,
    tlsOptions: busClientTlsOptions(credentials, self, peer),
    socketClass: busSocketClass(config.bus),
  }) as unknown as ClientProxy;
}
