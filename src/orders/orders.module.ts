import { Module } from '@nestjs/common';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';
import { OrdersClassicAdapter } from './classic/orders-classic.adapter';
import { IdempotencyRecord } from './entities/idempotency-record.entity';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { Order } from './entities/order.entity';
import { IdempotencyService } from './idempotency.service';
import { OrdersInitial1763900000004 } from './migrations/1763900000004-orders-initial';
import { IdempotencyByOrder1763900000006 } from './migrations/1763900000006-idempotency-by-order';
import { OrderRecoveryService } from './order-recovery.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { PlaceOrderService } from './place-order.service';
import { DemoOrdersSeed } from './seed/demo-orders-seed.service';

/** Orders and their lines: authoritative totals, atomic stock, idempotent placement, a compensating saga. */
@Module({
  imports: [
    moduleDatabase('orders', {
      entities: [Order, IdempotencyRecord, OutboxMessage],
      migrations: [OrdersInitial1763900000004, IdempotencyByOrder1763900000006],
    }),
  ],
  controllers: [OrdersController],
  providers: [
    PlaceOrderService,
    OrdersService,
    IdempotencyService,
    OrderRecoveryService,
    DemoOrdersSeed,
    outboxProvider('orders'),
    rateLimitsProvider('orders'),
    OrdersClassicAdapter,
    { provide: classicAdapterToken('orders'), useExisting: OrdersClassicAdapter },
  ],
})
export class OrdersModule {}
