import { Module } from '@nestjs/common';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { OrdersClassicAdapter } from './classic/orders-classic.adapter';
import { IdempotencyService } from './idempotency.service';
import { OrderRecoveryService } from './order-recovery.service';
import { ReservationReconciliation } from './reservation-reconciliation.service';
import { OrdersHandlers } from './orders.handlers';
import { OrdersController } from './orders.controller';
import { ORDERS_ENTITIES, ORDERS_MIGRATIONS } from './orders-schema';
import { OrdersService } from './orders.service';
import { PlaceOrderService } from './place-order.service';
import { sagaCheckpointsProvider } from './saga-checkpoints';
import { DemoOrdersSeed } from './seed/demo-orders-seed.service';

/** Orders and their lines: authoritative totals, atomic stock, idempotent placement, a compensating saga. */
@Module({
  imports: [
    moduleDatabase('orders', {
      entities: ORDERS_ENTITIES,
      migrations: ORDERS_MIGRATIONS,
    }),
  ],
  controllers: [OrdersController, OrdersHandlers],
  providers: [
    ...peerClients('orders'),
    PlaceOrderService,
    sagaCheckpointsProvider,
    OrdersService,
    IdempotencyService,
    OrderRecoveryService,
    ReservationReconciliation,
    DemoOrdersSeed,
    outboxProvider('orders'),
    rateLimitsProvider('orders'),
    OrdersClassicAdapter,
    { provide: classicAdapterToken('orders'), useExisting: OrdersClassicAdapter },
  ],
})
export class OrdersModule {}
