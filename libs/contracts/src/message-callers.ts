import type { CallerTable } from '@mfm/platform/bus/caller-policy';
import { snapshotChunkPattern, snapshotPattern } from '@mfm/platform/backup/snapshot.controller';
import { MODULE_NAMES, ModuleName } from '@mfm/platform/topology/module-names';
import { LoggingMessages } from './logging.contract';
import type { Message } from './message';
import { OrdersMessages } from './orders.contract';
import { ProductsMessages } from './products.contract';
import { SearchMessages } from './search.contract';
import { UsersMessages } from './users.contract';

/** Every module's token check, on routes with a bearer or a classic token (users' own too). */
const CHECKS_TOKENS = MODULE_NAMES;
/** Modules that record what people changed, through their outboxes (search: its own events only). */
const AUDITED: readonly ModuleName[] = ['users', 'products', 'orders'];

const may = (sent: Message<unknown, unknown>, callers: readonly ModuleName[]) =>
  [sent.pattern, callers] as const;

/**
 * Messages every module answers for the platform, which every module may send: `ping` (/ready),
 * `status` (/api/status) and `openapi` (the store's API document). They tell nothing private.
 */
export const PLATFORM_MESSAGE_NAMES = ['ping', 'status', 'openapi'] as const;

/**
 * Which modules may send each message, beside the descriptors: the bus and the in-process
 * transport refuse any other caller with 403 FORBIDDEN_CALLER, the caller being the module named
 * by the verified client certificate (or the module whose client called, in one process). Kept to
 * what the code sends: MODULE_PEERS for the typed
 * clients, plus the deliveries of outboxes (audit events to logging, product changes to search,
 * released stock, mail to an account's address).
 */
export const MESSAGE_CALLERS: CallerTable = Object.fromEntries([
  may(UsersMessages.verifyToken, CHECKS_TOKENS),
  may(UsersMessages.verifyClassicToken, CHECKS_TOKENS),
  // The address of an account, for mail addressed to it (account and order mail).
  may(UsersMessages.contact, ['users', 'orders']),
  may(ProductsMessages.getMany, ['orders']),
  may(ProductsMessages.reserveStock, ['orders']),
  may(ProductsMessages.releaseStock, ['orders']),
  // Orders restored from a backup, compared with the stock they hold.
  may(ProductsMessages.reservationsSince, ['orders']),
  // Rebuilding the search index.
  may(ProductsMessages.listPage, ['search']),
  // The products outbox feeds the index.
  may(SearchMessages.productChanged, ['products']),
  may(SearchMessages.productsChanged, ['products']),
  // Who may review a product.
  may(OrdersMessages.hasConfirmedOrder, ['products']),
  may(LoggingMessages.record, AUDITED),
  may(LoggingMessages.recordBatch, AUDITED),
  may(LoggingMessages.recordSearch, ['search']),
  may(LoggingMessages.recordSearches, ['search']),
  // "Last changed by" in search results.
  may(LoggingMessages.lastModified, ['search']),
  ...MODULE_NAMES.flatMap((module) =>
    PLATFORM_MESSAGE_NAMES.map((name) => [`${module}.${name}`, MODULE_NAMES] as const),
  ),
  // A module's snapshot, to the process that keeps the backups: the whole of its data.
  ...MODULE_NAMES.flatMap((module) =>
    [snapshotPattern(module), snapshotChunkPattern(module)].map(
      (pattern) => [pattern, ['logging']] as const,
    ),
  ),
]);
