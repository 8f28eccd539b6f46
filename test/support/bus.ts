import { ClientTCP } from '@nestjs/microservices';
import type { ClientProxy } from '@nestjs/microservices';
import { BusCredentials, readBusCredentials } from '@mfm/platform/bus/bus-credentials';
import { busClientTlsOptions } from '@mfm/platform/bus/bus-tls-options';
import { loadConfig } from '@mfm/platform/config/load-config';
import { busSocketClass } from '@mfm/platform/rpc/no-delay-json-socket';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { MODULES, Module, Store } from './store';

/**
 * Calling a split store's modules over its bus as one of its modules would: with a certificate
 * from the store's BUS_TLS_DIR (the development credentials its processes generated).
 */

/** The bus credentials of a running split store, every module's certificate included. */
export function storeBusCredentials(store: Store): BusCredentials {
  const { credentials, missing, problems } = readBusCredentials(store.busTlsDir(), MODULES);
  if (!credentials)
    throw new Error(
      `No usable bus credentials: missing ${missing.join(', ')} ${problems.join('; ')}`,
    );
  return credentials;
}

export interface BusClientOptions {
  /** The module whose certificate the client shows (default: orders). */
  as?: Module;
  /** Connect here instead of the module's own port (e.g. a recording proxy in front of it). */
  port?: number;
  timeoutMs?: number;
  /** The caller named in every message's envelope (the receiving module logs it). */
  caller?: string;
}

/** An RpcClient to `peer` over the store's bus, with the store's frame limits. */
export function busRpcClient(
  store: Store,
  peer: Module,
  { as = 'orders', port, timeoutMs = 10_000, caller = 'test' }: BusClientOptions = {},
): RpcClient {
  const proxy = new ClientTCP({
    host: '127.0.0.1',
    port: port ?? store.tcpPort(peer),
    tlsOptions: busClientTlsOptions(storeBusCredentials(store), as, peer),
    socketClass: busSocketClass(loadConfig({}).bus),
  });
  return new RpcClient(peer, proxy as unknown as ClientProxy, timeoutMs, caller);
}
