import type { FactoryProvider } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import type { ModuleName } from '@mfm/platform/topology/module-names';
import { LoggingClient } from './logging.contract';
import { MODULE_PEERS } from './module-peers';
import { OrdersClient } from './orders.contract';
import { ProductsClient } from './products.contract';
import { SearchClient } from './search.contract';
import { UsersClient } from './users.contract';
import type { ModuleClient } from './module-client';

export * from './message';
export * from './module-client';
export * from './module-peers';
export * from './message-callers';
export * from './users.contract';
export * from './logging.contract';
export * from './products.contract';
export * from './search.contract';
export * from './orders.contract';

type ClientClass = new (rpc: RpcClient) => ModuleClient;

export const CLIENTS: Record<ModuleName, ClientClass> = {
  users: UsersClient,
  products: ProductsClient,
  search: SearchClient,
  orders: OrdersClient,
  logging: LoggingClient,
};

/**
 * The typed clients of the modules `module` calls (MODULE_PEERS), for its own providers: a module
 * can inject no other client, so MODULE_PEERS is what the code does. Each calls as `module`, so
 * the peer applies MESSAGE_CALLERS to that module. (UsersClient is also the platform's, for the
 * token check of every module.)
 */
export const peerClients = (module: ModuleName): FactoryProvider[] =>
  MODULE_PEERS[module].map((peer) => ({
    provide: CLIENTS[peer],
    inject: [rpcClientToken(peer)],
    useFactory: (rpc: RpcClient) => new CLIENTS[peer](rpc.as(module)),
  }));
