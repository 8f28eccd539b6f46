import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  GetProductsReply,
  GetProductsRequest,
  ProductFacts,
  ProductsClient,
  ProductsMessages,
  ReserveStockReply,
  ReserveStockRequest,
} from '@mfm/contracts/products.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { ProductsErrors } from '@mfm/contracts/errors.contract';
import { AppError } from '@mfm/platform/errors/error-body';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import type { Outbox } from '@mfm/contracts/outbox';
import { SentMessage, recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { IdempotencyRecord } from './entities/idempotency-record.entity';
import { Order } from './entities/order.entity';
import { IdempotencyService } from './idempotency.service';
import { OrderOutcome, renderOrderOutcome } from './order-outcome';
import { ORDERS_ENTITIES, ORDERS_MIGRATIONS } from './orders-schema';
import { PlaceOrderService } from './place-order.service';
import { SagaCheckpoints } from './saga-checkpoints';

const MILK: ProductFacts = {
  id: randomUUID(),
  name: 'Whole milk 1 l',
  category: 'dairy',
  priceCents: 129,
  stock: 10,
  archived: false,
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const BREAD: ProductFacts = { ...MILK, id: randomUUID(), name: 'Rye bread', category: 'bakery' };

/**
 * The products module as the saga sees it: a catalogue and stock in memory, and a way to make
 * either call fail as the real client would (an AppError with the peer's status and code).
 */
class FakeProducts implements Pick<ProductsClient, 'getMany' | 'reserveStock'> {
  catalogue = new Map<string, ProductFacts>([MILK, BREAD].map((p) => [p.id, p]));
  getManyFails?: AppError;
  reserveFails?: AppError;
  readonly reservations: ReserveStockRequest[] = [];

  getMany(request: GetProductsRequest): Promise<GetProductsReply> {
    if (this.getManyFails) return Promise.reject(this.getManyFails);
    const items = (request.ids ?? []).flatMap((id) => this.catalogue.get(id) ?? []);
    return Promise.resolve({ items });
  }

  reserveStock(request: ReserveStockRequest): Promise<ReserveStockReply> {
    this.reservations.push(request);
    if (this.reserveFails) return Promise.reject(this.reserveFails);
    return Promise.resolve({ ...request, created: true });
  }
}

describe('PlaceOrderService (the saga, with a fake products module and real SQLite)', () => {
  let db: DataSource;
  let products: FakeProducts;
  let sent: SentMessage[];
  let afterReserve: SagaCheckpoints['afterReserve'];
  let placing: PlaceOrderService;
  let runner: TransactionRunner;
  let outbox: Outbox;
  let metrics: Metrics;
  const caller: VerifiedUser = {
    userId: randomUUID(),
    username: 'customer',
    role: 'customer',
    emailVerified: true,
  };
  const config = {
    accounts: { requireVerifiedEmailToOrder: true },
    orders: { taxRatesBps: { dairy: 550 } },
  } as unknown as AppConfig;

  beforeEach(async () => {
    db = await testDatabase(ORDERS_ENTITIES, ORDERS_MIGRATIONS);
    const recording = recordingOutbox('orders', db);
    sent = recording.sent;
    outbox = recording.outbox;
    runner = recording.runner;
    products = new FakeProducts();
    afterReserve = () => undefined;
    metrics = new Metrics('orders');
    placing = new PlaceOrderService(
      outbox,
      products as unknown as ProductsClient,
      new IdempotencyService(recording.runner),
      config,
      { afterReserve: (order) => afterReserve(order) },
      metrics,
    );
  });

  afterEach(async () => {
    await outbox.onApplicationShutdown();
    await db.destroy();
  });

  const stored = (id: string) => db.getRepository(Order).findOneByOrFail({ id });
  const releases = () =>
    sent.filter(
      (m) => m.target === 'products' && m.pattern === ProductsMessages.releaseStock.pattern,
    );
  const auditTypes = () =>
    sent.filter((m) => m.target === 'logging').map((m) => (m.payload as { type: string }).type);
  const failed = (outcome: OrderOutcome) => {
    if (outcome.ok) throw new Error(`expected a failed order, got ${outcome.order.status}`);
    return outcome;
  };

  it('confirms an order: priced from products, stock reserved under the order id, order_placed sent', async () => {
    const outcome = await placing.place(caller, [
      { productId: MILK.id, quantity: 2 },
      { productId: BREAD.id, quantity: 1 },
      { productId: MILK.id, quantity: 1 },
    ]);
    expect(outcome.ok).toBe(true);
    expect(outcome.order.status).toBe('CONFIRMED');
    // 3 × 129 + 5.5 % (21.285 → 21) and 129 untaxed.
    expect(outcome.order.totalCents).toBe(387 + 21 + 129);
    expect(products.reservations).toEqual([
      {
        reservationId: outcome.order.id,
        items: [
          { productId: MILK.id, quantity: 3 },
          { productId: BREAD.id, quantity: 1 },
        ],
      },
    ]);
    expect((await stored(outcome.order.id)).status).toBe('CONFIRMED');
    expect(auditTypes()).toEqual(['order_placed']);
    expect(renderOrderOutcome(outcome)).toMatchObject({
      status: 201,
      body: { status: 'CONFIRMED' },
    });
  });

  it('writes the order once, already priced, before it reserves the stock', async () => {
    let atReservation: { writes: number; order?: Order } = { writes: -1 };
    afterReserve = async (order) => {
      atReservation = { writes: runner.writes, order: await stored(order.id) };
    };
    const outcome = await placing.place(caller, [{ productId: MILK.id, quantity: 2 }]);
    expect(outcome.ok).toBe(true);
    // One write transaction before the reservation: the PENDING order with its prices.
    expect(atReservation.writes).toBe(1);
    expect(atReservation.order).toMatchObject({
      status: 'PENDING',
      subtotalCents: 258,
      totalCents: 258 + 14,
      lines: [expect.objectContaining({ productId: MILK.id, quantity: 2, unitPriceCents: 129 })],
    });
  });

  it('products unreachable: FAILED with the peer error, nothing reserved, nothing to release', async () => {
    products.getManyFails = PlatformErrors.PEER_UNAVAILABLE.error({ peer: 'products' });
    const outcome = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(outcome.error).toMatchObject({ statusCode: 503, code: 'PEER_UNAVAILABLE' });
    expect(await stored(outcome.order.id)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'PEER_UNAVAILABLE' },
    });
    expect(products.reservations).toEqual([]);
    expect(releases()).toEqual([]);
    expect(auditTypes()).toEqual([]);
  });

  it('unknown or archived product: 422 UNKNOWN_PRODUCT naming them, no reservation', async () => {
    products.catalogue.set(BREAD.id, { ...BREAD, archived: true });
    const ghost = randomUUID();
    const outcome = failed(
      await placing.place(caller, [
        { productId: MILK.id, quantity: 1 },
        { productId: BREAD.id, quantity: 1 },
        { productId: ghost, quantity: 1 },
      ]),
    );
    expect(outcome.error).toMatchObject({
      statusCode: 422,
      code: 'UNKNOWN_PRODUCT',
      details: { productIds: [BREAD.id, ghost] },
    });
    expect(outcome.error.message).toContain('Rye bread');
    expect((await stored(outcome.order.id)).status).toBe('FAILED');
    expect(products.reservations).toEqual([]);
    expect(releases()).toEqual([]);
  });

  it('short stock: 409 INSUFFICIENT_STOCK naming the product and what is left, no release', async () => {
    products.reserveFails = ProductsErrors.RESERVE_INSUFFICIENT_STOCK.error(
      { lines: 1 },
      { items: [{ productId: MILK.id, requested: 5, available: 2 }] },
    );
    const outcome = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 5 }]));
    expect(outcome.error).toMatchObject({ statusCode: 409, code: 'INSUFFICIENT_STOCK' });
    expect(outcome.error.message).toBe('Not enough stock for: Whole milk 1 l (asked 5, 2 left)');
    expect(outcome.error.details).toEqual({
      items: [{ productId: MILK.id, requested: 5, available: 2, name: 'Whole milk 1 l' }],
    });
    expect((await stored(outcome.order.id)).status).toBe('FAILED');
    // All-or-nothing: a refused reservation took nothing, so there is nothing to give back.
    expect(releases()).toEqual([]);
  });

  it('5xx during the reservation: FAILED, and the release of the maybe-made reservation is queued', async () => {
    products.reserveFails = PlatformErrors.PEER_TIMEOUT.error({
      peer: 'products',
      timeoutMs: 3000,
    });
    const outcome = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(outcome.error).toMatchObject({ statusCode: 503, code: 'PEER_TIMEOUT' });
    expect((await stored(outcome.order.id)).status).toBe('FAILED');
    expect(releases().map((m) => m.payload)).toEqual([{ reservationId: outcome.order.id }]);
  });

  it('confirmation failing after the reservation: FAILED with 500, the reservation released, no order_placed', async () => {
    // The database refuses the step to CONFIRMED (as a full disk or a lost connection would).
    await db.query(`CREATE TRIGGER refuse_confirmation BEFORE UPDATE OF status ON customer_order
      WHEN NEW.status = 'CONFIRMED' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const outcome = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(outcome.error).toMatchObject({ statusCode: 500, code: 'INTERNAL' });
    expect(products.reservations).toHaveLength(1);
    expect((await stored(outcome.order.id)).status).toBe('FAILED');
    expect(releases().map((m) => m.payload)).toEqual([{ reservationId: outcome.order.id }]);
    expect(auditTypes()).toEqual([]);
  });

  it('the afterReserve checkpoint runs between the reservation and the confirmation', async () => {
    const seen: Array<{ reserved: number; status: string }> = [];
    afterReserve = async (order) => {
      seen.push({
        reserved: products.reservations.length,
        status: (await stored(order.id)).status,
      });
    };
    const outcome = await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]);
    expect(seen).toEqual([{ reserved: 1, status: 'PENDING' }]);
    expect(outcome.order.status).toBe('CONFIRMED');
  });

  it('an Idempotency-Key stores the rendered failure, and a repeat replays it without a second order', async () => {
    products.reserveFails = ProductsErrors.RESERVE_INSUFFICIENT_STOCK.error(
      { lines: 1 },
      { items: [{ productId: MILK.id, requested: 5, available: 2 }] },
    );
    const first = await placing.place(caller, [{ productId: MILK.id, quantity: 5 }], 'key-1');
    if ('replay' in first) throw new Error('the first request must place the order');
    const rendered = renderOrderOutcome(first);
    expect(rendered.body).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: { orderId: first.order.id, orderStatus: 'FAILED' },
    });
    const record = await db.getRepository(IdempotencyRecord).findOneByOrFail({ key: 'key-1' });
    expect({ status: record.responseStatus, body: record.responseBody }).toEqual(rendered);

    const again = await placing.place(caller, [{ productId: MILK.id, quantity: 5 }], 'key-1');
    expect(again).toEqual({ replay: rendered });
    expect(await db.getRepository(Order).count()).toBe(1);
  });

  /** The saga's outcomes as /metrics counts them: "confirmed" or "failed/<code>". */
  const outcomes = async () =>
    Object.fromEntries(
      (await metrics.sagaOutcomes.get()).values.map((v) => [
        [v.labels.outcome, v.labels.code].filter(Boolean).join('/'),
        v.value,
      ]),
    );
  /** What the order queued for the other modules, in its transaction (delivered after it). */
  const queued = async (target: string) =>
    (await db.getRepository(OutboxMessage).find({ where: { target }, order: { seq: 'ASC' } })).map(
      (row) => JSON.parse(row.body) as Record<string, unknown>,
    );

  it('a confirmed order keeps its priced lines and totals, is counted, and is audited and mailed with them', async () => {
    const outcome = await placing.place(caller, [
      { productId: MILK.id, quantity: 3 },
      { productId: BREAD.id, quantity: 2 },
    ]);
    const order = await stored(outcome.order.id);
    expect(order).toMatchObject({
      userId: caller.userId,
      username: 'customer',
      status: 'CONFIRMED',
      failure: null,
      subtotalCents: 387 + 258,
      taxCents: 21,
      totalCents: 387 + 21 + 258,
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        productId: MILK.id,
        name: MILK.name,
        taxRateBps: 550,
        totalCents: 408,
      }),
      expect.objectContaining({
        productId: BREAD.id,
        name: 'Rye bread',
        taxRateBps: 0,
        totalCents: 258,
      }),
    ]);
    expect(await queued('logging')).toEqual([
      expect.objectContaining({
        type: 'order_placed',
        actor: { userId: caller.userId, username: 'customer' },
        subject: { kind: 'order', id: order.id, name: 'order of customer' },
        payload: {
          totalCents: 666,
          lines: [
            { productId: MILK.id, name: MILK.name, quantity: 3, totalCents: 408 },
            { productId: BREAD.id, name: 'Rye bread', quantity: 2, totalCents: 258 },
          ],
        },
      }),
    ]);
    expect(await queued('mail')).toEqual([
      expect.objectContaining({
        to: { userId: caller.userId },
        template: 'order_confirmed',
        data: {
          orderId: order.id,
          totalCents: 666,
          lines: [
            { name: MILK.name, quantity: 3, totalCents: 408 },
            { name: 'Rye bread', quantity: 2, totalCents: 258 },
          ],
        },
      }),
    ]);
    expect(await outcomes()).toEqual({ confirmed: 1 });
    expect((await metrics.orderTotals.get()).values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metricName: 'orders_confirmed_total_cents_sum', value: 666 }),
      ]),
    );
  });

  it('failures are counted by their code', async () => {
    products.reserveFails = new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock', {
      items: [],
    });
    await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]);
    await placing.place(caller, [{ productId: randomUUID(), quantity: 1 }]);
    expect(await outcomes()).toEqual({
      'failed/INSUFFICIENT_STOCK': 1,
      'failed/UNKNOWN_PRODUCT': 1,
    });
  });

  it('an unverified account may not order, unless the store allows it', async () => {
    const unverified = { ...caller, emailVerified: false };
    const refused = await placing.place(unverified, [{ productId: MILK.id, quantity: 1 }]).then(
      () => undefined,
      (e: AppError) => ({ status: e.getStatus(), ...(e.getResponse() as object) }),
    );
    expect(refused).toMatchObject({ status: 403, code: 'EMAIL_NOT_VERIFIED' });
    expect(await db.getRepository(Order).count()).toBe(0);
    expect(products.reservations).toEqual([]);
    // A caller whose verification is not known (a service) is not held back.
    const unknown = { ...caller, emailVerified: undefined } as unknown as VerifiedUser;
    expect((await placing.place(unknown, [{ productId: MILK.id, quantity: 1 }])).ok).toBe(true);

    const lenient = new PlaceOrderService(
      outbox,
      products as unknown as ProductsClient,
      new IdempotencyService(recordingOutbox('orders', db).runner),
      { ...config, accounts: { requireVerifiedEmailToOrder: false } } as AppConfig,
      { afterReserve: () => undefined },
    );
    expect((await lenient.place(unverified, [{ productId: MILK.id, quantity: 1 }])).ok).toBe(true);
  });

  it('one unknown product is named alone', async () => {
    products.catalogue.set(BREAD.id, { ...BREAD, archived: true });
    const outcome = failed(await placing.place(caller, [{ productId: BREAD.id, quantity: 1 }]));
    expect(outcome.error.message).toBe('Unknown or unavailable product: Rye bread');
    const ghost = randomUUID();
    const other = failed(await placing.place(caller, [{ productId: ghost, quantity: 1 }]));
    expect(other.error.message).toBe(`Unknown or unavailable product: ${ghost}`);
    expect((await stored(other.order.id)).failure).toMatchObject({
      code: 'UNKNOWN_PRODUCT',
      details: { productIds: [ghost] },
    });
  });

  it('a refusal of the reservation other than a shortage (4xx) fails the order without a release', async () => {
    products.reserveFails = new AppError(409, 'RESERVATION_RELEASED', 'Reservation x was released');
    const released = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(released.error).toMatchObject({ statusCode: 409, code: 'RESERVATION_RELEASED' });
    products.reserveFails = new AppError(422, 'UNKNOWN_PRODUCT', 'Unknown or archived product');
    const archived = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(archived.error).toMatchObject({ statusCode: 422, code: 'UNKNOWN_PRODUCT' });
    expect(releases()).toEqual([]);
    expect(await queued('products')).toEqual([]);
  });

  it('an unexpected error of the products module is a 500: before the reservation nothing to release, during it a release', async () => {
    const getMany = products.getMany.bind(products);
    products.getMany = () => Promise.reject(new Error('socket hang up'));
    const before = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(before.error).toMatchObject({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
    });
    expect(await queued('products')).toEqual([]);

    products.getMany = getMany;
    products.reserveStock = () => Promise.reject(new Error('socket hang up'));
    const during = failed(await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]));
    expect(during.error).toMatchObject({ statusCode: 500, code: 'INTERNAL' });
    expect(await queued('products')).toEqual([{ reservationId: during.order.id }]);
  });

  it('a shortage found by recovery names the products from the priced lines, else by id', async () => {
    const outcome = await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]);
    // As recovery finds an order left PENDING after it was priced.
    const order = { ...(await stored(outcome.order.id)), status: 'PENDING' as const };
    await db.getRepository(Order).update({ id: order.id }, { status: 'PENDING' });
    const ghost = randomUUID();
    products.reserveFails = new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock', {
      items: [
        { productId: MILK.id, requested: 1, available: 0 },
        { productId: ghost, requested: 2, available: 1 },
      ],
    });
    const shortage = failed(await placing.reserveAndConfirm(order));
    expect(shortage.error.message).toBe(
      `Not enough stock for: Whole milk 1 l (asked 1, 0 left), ${ghost} (asked 2, 1 left)`,
    );
    expect((await stored(order.id)).status).toBe('FAILED');

    // A shortage without the lines in its details names nothing, and still fails the order.
    await db.getRepository(Order).update({ id: order.id }, { status: 'PENDING' });
    products.reserveFails = new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock');
    expect(failed(await placing.reserveAndConfirm(order)).error).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      message: 'Not enough stock for: ',
      details: { items: [] },
    });
  });

  it('an order finished elsewhere keeps its outcome: a confirmed order is never failed nor released', async () => {
    const outcome = await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]);
    sent.length = 0;
    const before = await outcomes();
    // Recovery on another replica runs the same order again.
    const again = failed(await placing.reserveAndConfirm(await stored(outcome.order.id)));
    expect(again.error).toMatchObject({ statusCode: 409, code: 'ORDER_NOT_PENDING' });
    expect((await stored(outcome.order.id)).status).toBe('CONFIRMED');
    expect(releases()).toEqual([]);
    expect(await queued('products')).toEqual([]);
    expect(await outcomes()).toEqual(before);
  });

  it('the same Idempotency-Key with another basket is refused, and no second order is made', async () => {
    const first = await placing.place(caller, [{ productId: MILK.id, quantity: 1 }], 'key-2');
    expect('replay' in first).toBe(false);
    const refused = await placing
      .place(caller, [{ productId: MILK.id, quantity: 2 }], 'key-2')
      .then(
        () => undefined,
        (e: AppError) => e.getResponse(),
      );
    expect(refused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await db.getRepository(Order).count()).toBe(1);
    // The same basket, as a retry sends it: the first answer again.
    const replay = await placing.place(caller, [{ productId: MILK.id, quantity: 1 }], 'key-2');
    expect(replay).toEqual({
      replay: { status: 201, body: expect.objectContaining({ status: 'CONFIRMED' }) },
    });
    expect(products.reservations).toHaveLength(1);
  });

  it('a confirmed outcome, and the answer a repeat replays, are the order just placed', async () => {
    const earlier = await placing.place(caller, [{ productId: MILK.id, quantity: 1 }]);
    const outcome = await placing.place(caller, [{ productId: BREAD.id, quantity: 2 }], 'key-3');
    if ('replay' in outcome) throw new Error('the first request must place the order');
    expect(outcome.order).toMatchObject({
      id: products.reservations[1].reservationId,
      status: 'CONFIRMED',
      totalCents: 258,
    });
    expect(outcome.order.id).not.toBe(earlier.order.id);
    const replay = await placing.place(caller, [{ productId: BREAD.id, quantity: 2 }], 'key-3');
    expect(replay).toMatchObject({
      replay: { status: 201, body: { id: outcome.order.id, totalCents: 258 } },
    });
  });
});
