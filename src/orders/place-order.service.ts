import { randomUUID } from 'node:crypto';
import { HttpException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  ProductFacts,
  ProductsErrorCodes,
  mergeStockLines,
  ProductsClient,
  ProductsMessages,
  ShortLine,
} from '@mfm/contracts/products.contract';
import { OrdersErrors } from '@mfm/contracts/errors.contract';
import { onceEventId } from '@mfm/contracts/logging.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError, ErrorBody, httpExceptionToBody } from '@mfm/platform/errors/error-body';
import { Metrics } from '@mfm/platform/metrics/metrics';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { insertRaw, updateRaw } from '@mfm/platform/database/raw-rows';
import { Order } from './entities/order.entity';
import { IdempotencyService, requestHash } from './idempotency.service';
import { OrderOutcome, RenderedResponse, renderOrderOutcome } from './order-outcome';
import { PricedOrder, priceOrder } from './pricing';
import { SAGA_CHECKPOINTS, SagaCheckpoints } from './saga-checkpoints';

export type RequestedLine = { productId: string; quantity: number };

/** A repeat of an Idempotency-Key: the first request's answer, as it was sent. */
export type Replay = { replay: RenderedResponse };

/**
 * Places an order as a saga: PENDING → prices from products → stock reserved all-or-nothing →
 * CONFIRMED + `order_placed`. Every failure ends the order FAILED with its reason; a failure after
 * the reservation may have happened releases it through the outbox (so even a release that
 * cannot be delivered now happens later, exactly once in effect). The outcome is the order's;
 * rendering it as an HTTP answer is the caller's (renderOrderOutcome), and the answer an
 * Idempotency-Key replays is stored in the transaction that finishes the order.
 */
@Injectable()
export class PlaceOrderService {
  private readonly logger = new Logger(PlaceOrderService.name);

  constructor(
    @Inject(outboxToken('orders')) private readonly outbox: Outbox,
    private readonly products: ProductsClient,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SAGA_CHECKPOINTS) private readonly checkpoints: SagaCheckpoints,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  place(caller: VerifiedUser, items: RequestedLine[]): Promise<OrderOutcome>;
  place(
    caller: VerifiedUser,
    items: RequestedLine[],
    key: string | undefined,
  ): Promise<OrderOutcome | Replay>;
  async place(
    caller: VerifiedUser,
    items: RequestedLine[],
    key?: string,
  ): Promise<OrderOutcome | Replay> {
    // Unverified accounts may browse, not order (ORDERS_REQUIRE_VERIFIED_EMAIL=false lifts it).
    if (this.config.accounts.requireVerifiedEmailToOrder && caller.emailVerified === false)
      throw OrdersErrors.EMAIL_NOT_VERIFIED.error();
    const requested = mergeStockLines(items);
    // Priced before the order is written, so that a placed order takes one transaction less.
    const quote = await this.quote(requested);
    const order = await this.createPending(
      caller,
      requested,
      'priced' in quote ? quote : null,
      key,
    );
    if ('replay' in order) return order;
    // The key's record gets the response in the transaction that finishes the order.
    if ('error' in quote) return this.fail(order.created, quote.error, false);
    return this.reserveAndConfirm(order.created, quote.facts);
  }

  /** Carries a PENDING order that has no prices yet to its end (crash recovery). */
  async run(order: Order): Promise<OrderOutcome> {
    const quote = await this.quote(order.requested);
    if ('error' in quote) return this.fail(order, quote.error, false);
    const priced = { ...pricedFields(quote.priced), updatedAt: new Date() };
    Object.assign(order, priced);
    await this.outbox.write((manager) => updateRaw(manager, Order, priced, { id: order.id }));
    return this.reserveAndConfirm(order, quote.facts);
  }

  /** The products' facts and the order's prices, or why it cannot be placed (nothing is held yet). */
  private async quote(
    requested: RequestedLine[],
  ): Promise<{ facts: Map<string, ProductFacts>; priced: PricedOrder } | { error: HttpException }> {
    let facts: ProductFacts[];
    try {
      facts = (await this.products.getMany({ ids: requested.map((l) => l.productId) })).items;
    } catch (error) {
      return { error: this.asError(error) };
    }
    const byId = new Map(facts.map((f) => [f.id, f]));
    const unknown = requested.filter(
      (l) => !byId.get(l.productId) || byId.get(l.productId)?.archived,
    );
    if (unknown.length > 0) {
      return {
        error: OrdersErrors.UNKNOWN_PRODUCT.error(
          { names: unknown.map((l) => byId.get(l.productId)?.name ?? l.productId) },
          { productIds: unknown.map((l) => l.productId) },
        ),
      };
    }
    const priced = priceOrder(
      requested.map((line) => {
        const product = byId.get(line.productId) as ProductFacts;
        return {
          productId: line.productId,
          name: product.name,
          category: product.category,
          unitPriceCents: product.priceCents,
          quantity: line.quantity,
        };
      }),
      this.config.orders.taxRatesBps,
    );
    return { facts: byId, priced };
  }

  /** From priced to CONFIRMED; idempotent, so recovery can call it again for the same order. */
  async reserveAndConfirm(order: Order, names?: Map<string, ProductFacts>): Promise<OrderOutcome> {
    try {
      await this.products.reserveStock({ reservationId: order.id, items: order.requested });
    } catch (error) {
      const cause = this.asError(error);
      const status = cause.getStatus();
      if (
        status === 409 &&
        (cause.getResponse() as ErrorBody).code === ProductsErrorCodes.INSUFFICIENT_STOCK
      ) {
        return this.fail(order, this.describeShortage(cause, order, names), false);
      }
      // Unknown outcome (timeout, connection lost): the reservation may exist; release it.
      return this.fail(order, cause, status >= 500);
    }
    await this.checkpoints.afterReserve(order);
    try {
      const confirmedAt = new Date();
      const confirmed = await this.outbox.write(async (manager, out) => {
        const changed = await updateRaw(
          manager,
          Order,
          { status: 'CONFIRMED', updatedAt: confirmedAt },
          { id: order.id, status: 'PENDING' },
        );
        if (changed !== 1) throw OrdersErrors.ORDER_NOT_PENDING.error();
        const subject = {
          kind: 'order' as const,
          id: order.id,
          name: `order of ${order.username}`,
        };
        await out.audit({
          // Placed once: confirmed again (after a restore from a backup), it is recorded once.
          eventId: onceEventId('order_placed', subject),
          type: 'order_placed',
          actor: { userId: order.userId, username: order.username },
          subject,
          payload: {
            totalCents: order.totalCents,
            lines: (order.lines ?? []).map((l) => ({
              productId: l.productId,
              name: l.name,
              quantity: l.quantity,
              totalCents: l.totalCents,
            })),
          },
        });
        await out.mail(
          { userId: order.userId },
          {
            template: 'order_confirmed',
            data: {
              orderId: order.id,
              totalCents: order.totalCents ?? 0,
              lines: (order.lines ?? []).map((l) => ({
                name: l.name,
                quantity: l.quantity,
                totalCents: l.totalCents,
              })),
            },
          },
        );
        const outcome: OrderOutcome = {
          ok: true,
          order: { ...order, status: 'CONFIRMED', updatedAt: confirmedAt },
        };
        await this.idempotency.complete(manager, order.id, renderOrderOutcome(outcome));
        return outcome;
      });
      this.metrics?.sagaOutcomes.inc({ outcome: 'confirmed', code: '' });
      this.metrics?.orderTotals.observe(order.totalCents ?? 0);
      return confirmed;
    } catch (error) {
      return this.fail(order, this.asError(error), true);
    }
  }

  private async createPending(
    caller: VerifiedUser,
    requested: RequestedLine[],
    quote: { priced: PricedOrder } | null,
    key: string | undefined,
  ): Promise<{ created: Order } | Replay> {
    const now = new Date();
    const order: Order = {
      id: randomUUID(),
      userId: caller.userId,
      username: caller.username,
      status: 'PENDING',
      failure: null,
      requested,
      lines: null,
      subtotalCents: null,
      taxCents: null,
      totalCents: null,
      ...(quote && pricedFields(quote.priced)),
      createdAt: now,
      updatedAt: now,
    };
    const first = await this.outbox.write(async (manager) => {
      const previous = key
        ? await this.idempotency.claim(
            manager,
            caller.userId,
            key,
            requestHash(requested),
            order.id,
          )
        : null;
      if (previous) return previous;
      await insertRaw(manager, Order, [order]);
      return null;
    });
    if (first && key) return { replay: await this.idempotency.awaitResponse(caller.userId, key) };
    return { created: order };
  }

  /** Ends the order FAILED with the reason; `release` also queues the release of its reservation. */
  private async fail(order: Order, cause: HttpException, release: boolean): Promise<OrderOutcome> {
    const error = httpExceptionToBody(cause);
    const failure = {
      code: error.code,
      message: error.message,
      details: error.details ?? undefined,
    };
    const updatedAt = new Date();
    const outcome: OrderOutcome = {
      ok: false,
      order: { ...order, status: 'FAILED', failure, updatedAt },
      error,
    };
    const ended = await this.outbox.write(async (manager, out) => {
      const result = await manager.update(
        Order,
        { id: order.id, status: 'PENDING' },
        { status: 'FAILED', failure, updatedAt },
      );
      // An order finished elsewhere (another replica's recovery, say) keeps its outcome and the
      // response stored by whoever finished it; above all, a confirmed order keeps its stock.
      if (result.affected !== 1) return false;
      await this.idempotency.complete(manager, order.id, renderOrderOutcome(outcome));
      if (release) await out.send(ProductsMessages.releaseStock, { reservationId: order.id });
      return true;
    });
    if (ended) this.metrics?.sagaOutcomes.inc({ outcome: 'failed', code: error.code });
    return outcome;
  }

  private describeShortage(
    cause: HttpException,
    order: Order,
    names?: Map<string, ProductFacts>,
  ): AppError {
    const short =
      ((cause.getResponse() as ErrorBody).details as { items?: ShortLine[] } | undefined)?.items ??
      [];
    const lines = short.map((s) => ({
      ...s,
      name:
        names?.get(s.productId)?.name ??
        order.lines?.find((l) => l.productId === s.productId)?.name,
    }));
    return OrdersErrors.INSUFFICIENT_STOCK.error(
      {
        lines: lines.map((l) => ({
          label: l.name ?? l.productId,
          requested: l.requested,
          available: l.available,
        })),
      },
      { items: lines },
    );
  }

  private asError(error: unknown): HttpException {
    if (error instanceof HttpException) return error;
    this.logger.error(error);
    return PlatformErrors.INTERNAL.error();
  }
}

/** The columns an order's prices fill. */
const pricedFields = (priced: PricedOrder) => ({
  lines: priced.lines,
  subtotalCents: priced.subtotalCents,
  taxCents: priced.taxCents,
  totalCents: priced.totalCents,
});
