import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { dialectOf } from '@mfm/platform/database/dialect';
import { Order } from './entities/order.entity';
import { PlaceOrderService } from './place-order.service';
import { ReservationReconciliation } from './reservation-reconciliation.service';

const SWEEP_INTERVAL_MS = 5000;
/** Well past the RPC timeout: an order this old is not in the middle of a request any more. */
const STALE_AFTER_MS = 30_000;

/**
 * Finishes orders left PENDING by a crash: at start every PENDING order (no request can be running
 * then), afterwards those untouched for 30 s. Each is carried on from where it stopped — the
 * reservation is idempotent per order, so it either completes (CONFIRMED) or fails and is released.
 * Before that, once per start (retried with the sweeps until products answers), the stock held
 * is compared with the orders (ReservationReconciliation: what a restore from a backup needs).
 */
@Injectable()
export class OrderRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderRecoveryService.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private reconciled = false;
  private toldNotReconciled = false;

  constructor(
    @InjectRepository(Order, 'orders') private readonly orders: Repository<Order>,
    private readonly placing: PlaceOrderService,
    private readonly reconciliation: ReservationReconciliation,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // On SQLite this process is the only one: every PENDING order is left over from a crash. On
    // PostgreSQL other replicas may be placing orders right now: only stale ones are left over.
    const alone = dialectOf(this.orders.manager) === 'sqlite';
    await this.sweep(alone ? new Date() : new Date(Date.now() - STALE_AFTER_MS));
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep(new Date(Date.now() - STALE_AFTER_MS)).finally(
        () => (this.sweeping = undefined),
      );
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  async sweep(before: Date): Promise<void> {
    if (!this.reconciled) {
      try {
        await this.reconciliation.run();
        this.reconciled = true;
      } catch (error) {
        // Products may still be starting (split processes): said once, retried quietly.
        if (!this.toldNotReconciled)
          this.logger.warn({
            msg: 'could not compare the orders with the stock they hold yet; will retry',
            error: (error as Error).message,
          });
        this.toldNotReconciled = true;
      }
    }
    const stuck = await this.orders.find({
      where: { status: 'PENDING', updatedAt: LessThan(before) },
      order: { createdAt: 'ASC' },
      take: 100,
    });
    for (const order of stuck) {
      try {
        const outcome = order.lines
          ? await this.placing.reserveAndConfirm(order)
          : await this.placing.run(order);
        this.logger.warn({
          msg: `recovered order left PENDING: now ${outcome.ok ? 'CONFIRMED' : 'FAILED'}`,
          orderId: order.id,
        });
      } catch (error) {
        this.logger.error({
          msg: 'order recovery failed; will retry',
          orderId: order.id,
          error: (error as Error).message,
        });
      }
    }
  }
}
