import type { Type } from '@nestjs/common';
import type { ModuleName } from '@mfm/platform/topology/module-names';
import { LoggingClient } from './logging.contract';
import { MODULE_PEERS } from './module-peers';
import { OrdersClient } from './orders.contract';
import { ProductsClient } from './products.contract';
import { SearchClient } from './search.contract';
import { UsersClient } from './users.contract';

export * from './message';
export * from './module-client';
export * from './module-peers';
export * from './users.contract';
export * from './logging.contract';
export * from './products.contract';
export * from './search.contract';
export * from './orders.contract';

const CLIENTS: Record<ModuleName, Type<unknown>> = {
  users: UsersClient,
  products: ProductsClient,
  search: SearchClient,
  orders: OrdersClient,
  logging: LoggingClient,
};

/**
 * The typed clients of the modules `module` calls (MODULE_PEERS), for its own providers: a module
 * can inject no other client, so MODULE_PEERS is what the code does. (UsersClient is also the
 * platform's, for the token check of every module.)
 */
export const peerClients = (module: ModuleName): Array<Type<unknown>> =>
  MODULE_PEERS[module].map((peer) => CLIENTS[peer]);
