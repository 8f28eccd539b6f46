import type { ModuleBackupPlan } from '@mfm/platform/backup/store-backup';
import { migrationNames } from '@mfm/platform/database/migration-names';
import { PLATFORM_MIGRATIONS } from '@mfm/platform/platform-migrations';
import { LOGGING_MIGRATIONS } from './logging/logging-schema';
import { ORDERS_MIGRATIONS } from './orders/orders-schema';
import { PRODUCTS_MIGRATIONS } from './products/products-schema';
import { SEARCH_DERIVED_TABLES, SEARCH_MIGRATIONS } from './search/search-schema';
import { usersMigrationNames } from './users/users-schema';

const platform = migrationNames(PLATFORM_MIGRATIONS);

/**
 * What a backup holds, and in which order its snapshots are taken. Each snapshot is consistent
 * in itself; across modules, the order makes every gap one that the store closes at start:
 * - orders before products: products may then hold reservations of orders the backup does not
 *   have (released at start), or show released the reservation of an order cancelled later
 *   (cancelled at start); it never lacks the reservation of an order the backup has confirmed;
 * - orders, products and users before logging: every audit event their outboxes had delivered
 *   is in logging, and the ones not delivered yet are delivered again (logging keeps one of each);
 * - orders and products before users: every account an order or a review names is there;
 * - search's index is kept empty: it is rebuilt from the restored catalogue at first start.
 */
export const BACKUP_PLAN: readonly ModuleBackupPlan[] = [
  {
    module: 'search',
    migrations: [...migrationNames(SEARCH_MIGRATIONS), ...platform],
    derivedTables: SEARCH_DERIVED_TABLES,
  },
  { module: 'orders', migrations: [...migrationNames(ORDERS_MIGRATIONS), ...platform] },
  { module: 'products', migrations: [...migrationNames(PRODUCTS_MIGRATIONS), ...platform] },
  { module: 'users', migrations: [...usersMigrationNames(), ...platform] },
  { module: 'logging', migrations: [...migrationNames(LOGGING_MIGRATIONS), ...platform] },
];
