import { ModuleName } from '@mfm/platform/topology/module-names';

/** Who calls whom. /ready of a process checks the peers of the modules it hosts. */
export const MODULE_PEERS: Record<ModuleName, readonly ModuleName[]> = {
  users: ['logging'],
  products: ['users', 'orders', 'logging'],
  search: ['users', 'products', 'logging'],
  orders: ['users', 'products', 'logging'],
  logging: ['users'],
};
