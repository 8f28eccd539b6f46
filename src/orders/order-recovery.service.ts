import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { dialectOf } from '@mfm/platform/database/dialect';
import { Order } from './entities/order.entity';
import { PlaceOrderService } from './place-order.service';

const SWEEP_INTERVAL_MS = 5000;
/** Well past the RPC timeout: an order this old is not in the middle of a request any more. */
const STALE_AFTER_MS = 30_000;

/**
 * Finishes orders left PENDING by a crash: at start every PENDING order (no request can be running
 * then), afterwards those untouched for 30 s. Each is carried on from where it stopped — the
 * reservation is idempotent per order, so it either completes (CONFIRMED) or fails and is released.
 */
@Injectable()
export class OrderRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderRecoveryService.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @InjectRepository(Order, 'orders') private readonly orders: Repository<Order>,
    private readonly placing: PlaceOrderService,
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
