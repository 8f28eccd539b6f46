import { Logger, Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import type { Order } from './entities/order.entity';

/**
 * Points of the order saga where fault injection may act: crash recovery is proven by killing
 * the process between the reservation and the confirmation (ORDERS_CRASH_POINT, test runs only).
 */
export interface SagaCheckpoints {
  /** The stock is reserved; the order is still PENDING. */
  afterReserve(order: Order): void | Promise<void>;
}

export const SAGA_CHECKPOINTS = 'ORDERS_SAGA_CHECKPOINTS';

/** What runs in production: nothing. */
export const NO_CHECKPOINTS: SagaCheckpoints = { afterReserve: () => undefined };

const killAfterReserve: SagaCheckpoints = {
  afterReserve: () => {
    new Logger('PlaceOrderService').warn(
      'ORDERS_CRASH_POINT=after_reserve: killing this process between reservation and confirmation',
    );
    process.kill(process.pid, 'SIGKILL');
  },
};

/** The configured checkpoints (ORDERS_CRASH_POINT is refused outside NODE_ENV=test). */
export const sagaCheckpointsProvider: Provider = {
  provide: SAGA_CHECKPOINTS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): SagaCheckpoints =>
    config.orders.crashPoint === 'after_reserve' ? killAfterReserve : NO_CHECKPOINTS,
};
