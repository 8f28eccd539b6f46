import type { ModuleName } from '@mfm/platform/topology/module-names';
import { peerClients as peerClientProviders } from './index';
import { LoggingClient } from './logging.contract';
import { OrdersClient } from './orders.contract';
import { ProductsClient } from './products.contract';
import { SearchClient } from './search.contract';
import { UsersClient } from './users.contract';

const peerClients = (module: ModuleName): unknown[] =>
  peerClientProviders(module).map((provider) => provider.provide);

describe('peerClients', () => {
  it('gives a module the clients of its MODULE_PEERS and of no other module', () => {
    expect(peerClients('products')).toEqual([UsersClient, OrdersClient, LoggingClient]);
    expect(peerClients('search')).toEqual([UsersClient, ProductsClient, LoggingClient]);
    expect(peerClients('orders')).toEqual([UsersClient, ProductsClient, LoggingClient]);
    expect(peerClients('logging')).toEqual([UsersClient]);
    expect(peerClients('users')).toEqual([LoggingClient]);
    // Search is fed through the products outbox, never called with a client.
    expect(
      Object.values(['users', 'products', 'orders', 'logging'] as const).flatMap(peerClients),
    ).not.toContain(SearchClient);
  });
});
