import { LoggingClient } from './logging.contract';
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

/** Every typed client, provided once for the whole application. */
export const CONTRACT_CLIENTS = [
  UsersClient,
  ProductsClient,
  SearchClient,
  OrdersClient,
  LoggingClient,
];
