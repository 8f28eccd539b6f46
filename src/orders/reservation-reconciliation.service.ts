import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ProductsClient } from '@mfm/contracts/products.contract';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { Order } from './entities/order.entity';

/** Clocks of the machines that ran orders and products may differ by this much. */
const CLOCK_SKEW_MS = 3_600_000;
const PAGE = 500;

export interface ReconciliationReport {
  /** Reservations released: their order is unknown here, failed or cancelled. */
  released: number;
  /** Orders cancelled here: products had given their stock back. */
  cancelled: number;
}

/**
 * Brings the orders and the stock they hold back together after the orders database was restored
 * from a backup: products was saved after orders (see the backup plan), so it may hold stock for
 * orders placed after orders' snapshot, or have given back the stock of an order cancelled after
 * it. Only reservations made or released after the newest order here can differ; those are
 * compared, and everything else is left alone. In a store that was never restored this finds
 * nothing: an order is written before its stock is reserved, and cancelled before it is released.
 */
@Injectable()
export class ReservationReconciliation {
  private readonly logger = new Logger(ReservationReconciliation.name);

  constructor(
    @InjectRepository(Order, 'orders') private readonly orders: Repository<Order>,
    private readonly products: ProductsClient,
    @Inject(outboxToken('orders')) private readonly outbox: Outbox,
  ) {}

  async run(): Promise<ReconciliationReport> {
    const report: ReconciliationReport = { released: 0, cancelled: 0 };
    const [newest] = await this.orders.find({
      select: { id: true, updatedAt: true },
      order: { updatedAt: 'DESC' },
      take: 1,
    });
    const since = new Date(newest ? newest.updatedAt.getTime() - CLOCK_SKEW_MS : 0);
    let afterId: string | undefined;
    do {
      const page = await this.products.reservationsSince({
        since: since.toISOString(),
        afterId,
        limit: PAGE,
      });
      const ids = page.items.map((item) => item.reservationId);
      const statusOf = new Map(
        (
          await this.orders.find({ select: { id: true, status: true }, where: { id: In(ids) } })
        ).map((order) => [order.id, order.status]),
      );
      for (const { reservationId, held } of page.items) {
        const status = statusOf.get(reservationId);
        if (held && (status === undefined || status === 'FAILED' || status === 'CANCELLED')) {
          await this.products.releaseStock({ reservationId });
          report.released++;
        } else if (!held && status === 'CONFIRMED') {
          if (await this.cancelReleased(reservationId)) report.cancelled++;
        }
      }
      afterId = page.nextAfterId ?? undefined;
    } while (afterId);
    if (report.released + report.cancelled > 0)
      this.logger.warn({
        msg: 'stock held for orders brought back in line with the orders (after a restore, or a crash before a release was delivered)',
        ...report,
      });
    return report;
  }

  /** The order was cancelled after orders' snapshot: its stock is back, so it is cancelled here. */
  private cancelReleased(id: string): Promise<boolean> {
    return this.outbox.write(async (manager, out) => {
      const result = await manager.update(
        Order,
        { id, status: 'CONFIRMED' },
        { status: 'CANCELLED', updatedAt: new Date() },
      );
      if (result.affected !== 1) return false;
      const order = await manager.findOneByOrFail(Order, { id });
      await out.audit({
        type: 'order_reconciled',
        subject: { kind: 'order', id, name: `order of ${order.username}` },
        payload: {
          status: 'CANCELLED',
          reason: 'its stock had been given back after the backup saved the orders',
          totalCents: order.totalCents,
        },
      });
      return true;
    });
  }
}
