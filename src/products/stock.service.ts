import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import {
  ProductsErrorCodes,
  mergeStockLines,
  type ReleaseStockReply,
  type ReservationsSinceReply,
  type ReserveStockReply,
  type ReserveStockRequest,
  type ShortLine,
} from '@mfm/contracts/products.contract';
import { SearchMessages } from '@mfm/contracts/search.contract';
import { ProductsErrors } from '@mfm/contracts/errors.contract';
import { dialectOf, placeholder } from '@mfm/platform/database/dialect';
import { runRaw } from '@mfm/platform/database/raw-rows';
import { AppError } from '@mfm/platform/errors/error-body';
import { Metrics } from '@mfm/platform/metrics/metrics';
import type { Outbox, OutboxWriter } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { toDocument } from './product-document';
import { Product } from './entities/product.entity';
import { StockReservation } from './entities/stock-reservation.entity';

/**
 * Stock reservations for orders: all or nothing, in one transaction, with conditional updates
 * (`stock = stock - q WHERE stock >= q`) so stock never goes below zero, whatever the concurrency.
 */
@Injectable()
export class StockService {
  constructor(
    @Inject(outboxToken('products')) private readonly outbox: Outbox,
    @InjectRepository(StockReservation, 'products')
    private readonly reservations: Repository<StockReservation>,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Reservations made or released at or after `since`, by id, a page at a time. */
  async changedSince(
    since: Date,
    afterId: string | undefined,
    limit: number,
  ): Promise<ReservationsSinceReply> {
    const query = this.reservations
      .createQueryBuilder('r')
      .select('r.reservationId', 'reservationId')
      .addSelect('SUM(CASE WHEN r.releasedAt IS NULL THEN 1 ELSE 0 END)', 'held')
      .where('(r.createdAt >= :since OR r.releasedAt >= :since)', { since })
      .groupBy('r.reservationId')
      .orderBy('r.reservationId')
      .limit(limit);
    if (afterId !== undefined) query.andWhere('r.reservationId > :afterId', { afterId });
    const rows = await query.getRawMany<{ reservationId: string; held: number | string }>();
    return {
      items: rows.map((row) => ({ reservationId: row.reservationId, held: Number(row.held) > 0 })),
      nextAfterId: rows.length === limit ? rows[rows.length - 1].reservationId : null,
    };
  }

  async reserve(request: ReserveStockRequest): Promise<ReserveStockReply> {
    try {
      const reply = await this.reserveOnce(request);
      this.metrics?.reservations.inc({ outcome: reply.created ? 'reserved' : 'replayed' });
      return reply;
    } catch (error) {
      const code = (error as AppError).getResponse?.() as { code?: string } | undefined;
      if (code?.code === ProductsErrorCodes.INSUFFICIENT_STOCK)
        this.metrics?.reservations.inc({ outcome: 'insufficient' });
      throw error;
    }
  }

  private reserveOnce(request: ReserveStockRequest): Promise<ReserveStockReply> {
    const wanted = merge(request.items);
    return this.outbox.write(async (manager, out) => {
      const existing = await manager.findBy(StockReservation, {
        reservationId: request.reservationId,
      });
      if (existing.some((line) => line.productId === RELEASED_MARK || line.releasedAt)) {
        // Released (or released before it arrived, after a caller gave up on it): never hold stock again.
        throw ProductsErrors.RESERVATION_RELEASED.error({ reservationId: request.reservationId });
      }
      if (existing.length > 0) {
        return {
          reservationId: request.reservationId,
          items: existing.map(({ productId, quantity }) => ({ productId, quantity })),
          created: false,
        };
      }
      const products = await manager.findBy(Product, { id: In([...wanted.keys()]) });
      const byId = new Map(products.map((p) => [p.id, p]));
      const unknown = [...wanted.keys()].filter((id) => !byId.get(id) || byId.get(id)?.archived);
      if (unknown.length > 0) {
        throw ProductsErrors.RESERVE_UNKNOWN_PRODUCT.error(
          { ids: unknown },
          { productIds: unknown },
        );
      }
      const short: ShortLine[] = [];
      for (const [productId, quantity] of wanted) {
        if ((await moveStock(manager, productId, -quantity)) !== 1)
          short.push({
            productId,
            requested: quantity,
            available: byId.get(productId)?.stock ?? 0,
          });
      }
      if (short.length > 0) {
        // Throwing rolls back the lines that did fit: nothing is held.
        throw ProductsErrors.RESERVE_INSUFFICIENT_STOCK.error(
          { lines: short.length },
          { items: short },
        );
      }
      await this.announce(manager, out, [...wanted.keys()]);
      const now = new Date();
      await manager.insert(
        StockReservation,
        [...wanted].map(([productId, quantity]) => ({
          reservationId: request.reservationId,
          productId,
          quantity,
          createdAt: now,
          releasedAt: null,
        })),
      );
      return {
        reservationId: request.reservationId,
        items: [...wanted].map(([productId, quantity]) => ({ productId, quantity })),
        created: true,
      };
    }, SEARCH_FOLLOWS);
  }

  /** Tells search the new stock of the products a reservation moved. */
  private async announce(
    manager: EntityManager,
    out: OutboxWriter,
    productIds: string[],
  ): Promise<void> {
    for (const product of await manager.findBy(Product, { id: In(productIds) })) {
      await out.send(SearchMessages.productChanged, toDocument(product));
    }
  }

  async release(reservationId: string): Promise<ReleaseStockReply> {
    const reply = await this.releaseOnce(reservationId);
    if (reply.released) this.metrics?.reservations.inc({ outcome: 'released' });
    return reply;
  }

  private releaseOnce(reservationId: string): Promise<ReleaseStockReply> {
    return this.outbox.write(async (manager, out) => {
      // Locked on PostgreSQL: a release of the same reservation on another replica waits, then
      // finds the lines released and gives nothing back twice. (SQLite: one writer at a time.)
      const held = await manager.find(StockReservation, {
        where: { reservationId, releasedAt: IsNull() },
        ...(dialectOf(manager) === 'postgres' && { lock: { mode: 'pessimistic_write' as const } }),
      });
      for (const line of held) await moveStock(manager, line.productId, line.quantity);
      if (held.length > 0) {
        await manager.update(
          StockReservation,
          { reservationId, releasedAt: IsNull() },
          { releasedAt: new Date() },
        );
        await this.announce(
          manager,
          out,
          held.map((line) => line.productId),
        );
      } else if (!(await manager.existsBy(StockReservation, { reservationId }))) {
        // A release that overtook its reservation (the caller timed out and gave up): remember it,
        // so the late reservation is refused instead of holding stock for a failed order.
        await manager.insert(StockReservation, {
          reservationId,
          productId: RELEASED_MARK,
          quantity: 0,
          createdAt: new Date(),
          releasedAt: new Date(),
        });
      }
      return { reservationId, released: held.length > 0 };
    }, SEARCH_FOLLOWS);
  }
}

/**
 * A reservation answers once it is committed, without waiting for search to index the new stock:
 * checkout reads stock from products, and search's stock figure (the in-stock filter) follows
 * within milliseconds. An edit, by contrast, waits, so an employee finds what they just changed.
 */
const SEARCH_FOLLOWS = { waitMs: 0 };

/**
 * Moves a product's stock by `delta`, never below zero (the row is left alone when it would go
 * below): 1 when it moved. One statement text for every product and quantity.
 */
function moveStock(manager: EntityManager, productId: string, delta: number): Promise<number> {
  const [amount, id, floor] = [1, 2, 3].map((n) => placeholder(manager, n));
  return runRaw(
    manager,
    `UPDATE "product" SET "stock" = "stock" + ${amount}, "revision" = "revision" + 1 WHERE "id" = ${id} AND "stock" + ${floor} >= 0`,
    [delta, productId, delta],
  );
}

/** productId of the marker row left by a release that came before its reservation. */
const RELEASED_MARK = '-';

/** The same product twice is one line. */
function merge(items: ReserveStockRequest['items']): Map<string, number> {
  const lines = mergeStockLines(items).map(
    ({ productId, quantity }) => [productId, quantity] as const,
  );
  // Rows are locked in product-id order, whatever the request's order: two reservations of the
  // same products can then never wait on each other (a deadlock on PostgreSQL).
  return new Map([...lines].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
