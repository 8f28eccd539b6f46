import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { IdempotencyRecord } from './entities/idempotency-record.entity';
import { Order } from './entities/order.entity';
import { OrdersInitial1763900000004 } from './migrations/1763900000004-orders-initial';
import { IdempotencyByOrder1763900000006 } from './migrations/1763900000006-idempotency-by-order';

/** The orders database: its entities and the migrations that build it (the module and its tests). */
export const ORDERS_ENTITIES = [Order, IdempotencyRecord, OutboxMessage];
export const ORDERS_MIGRATIONS = [OrdersInitial1763900000004, IdempotencyByOrder1763900000006];
