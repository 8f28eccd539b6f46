import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { SearchMessages } from '@mfm/contracts/search.contract';
import type { AppError } from '@mfm/platform/errors/error-body';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { refusal } from '@mfm/platform/testing/refusal';
import { Product } from './entities/product.entity';
import { StockReservation } from './entities/stock-reservation.entity';
import {
  delivered,
  insertProduct,
  useProductsServiceDatabase,
} from './products-test-database.spec-helper';
import { StockService } from './stock.service';

describe('StockService (real SQLite, in memory)', () => {
  const data = useProductsServiceDatabase();
  let metrics: Metrics;
  let stock: StockService;

  beforeEach(async () => {
    metrics = new Metrics('products');
    stock = new StockService(data.outbox, data.db.getRepository(StockReservation), metrics);
    // A reservation does not wait for search to take the new stock: what search was sent is
    // read once the deliveries under way are done.
    const settled = async <T>(work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } finally {
        await data.outbox.flush(Date.now() + 5000);
      }
    };
    const { reserve, release } = {
      reserve: stock.reserve.bind(stock),
      release: stock.release.bind(stock),
    };
    stock.reserve = (request) => settled(reserve(request));
    stock.release = (reservationId) => settled(release(reservationId));
  });

  /** A product with `units` in stock (ids sort in creation order: `id` chooses the prefix). */
  const product = (units: number, fields: Partial<Product> = {}): Promise<Product> =>
    insertProduct(data.db, { stock: units, ...fields });
  const stored = (id: string) => data.db.getRepository(Product).findOneByOrFail({ id });
  const unitsOf = async (id: string) => (await stored(id)).stock;
  const lines = (reservationId: string) =>
    data.db
      .getRepository(StockReservation)
      .find({ where: { reservationId }, order: { productId: 'ASC' } });
  const documents = () =>
    delivered<ProductDocument>(data.sent, 'search', SearchMessages.productChanged.pattern);
  const outcomes = async () =>
    Object.fromEntries(
      (await metrics.reservations.get()).values.map((v) => [String(v.labels.outcome), v.value]),
    );

  it('takes every line from stock and records what it took, the same product twice as one line', async () => {
    const milk = await product(10);
    const bread = await product(4);
    const reply = await stock.reserve({
      reservationId: 'order-1',
      items: [
        { productId: milk.id, quantity: 2 },
        { productId: bread.id, quantity: 4 },
        { productId: milk.id, quantity: 3 },
      ],
    });
    expect(reply.created).toBe(true);
    expect(reply.reservationId).toBe('order-1');
    expect(reply.items).toEqual(
      expect.arrayContaining([
        { productId: milk.id, quantity: 5 },
        { productId: bread.id, quantity: 4 },
      ]),
    );
    expect(reply.items).toHaveLength(2);
    expect(await unitsOf(milk.id)).toBe(5);
    expect(await unitsOf(bread.id)).toBe(0);
    expect((await lines('order-1')).map((l) => [l.productId, l.quantity, l.releasedAt])).toEqual(
      [
        [milk.id, 5, null],
        [bread.id, 4, null],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    // Every change of stock is a new revision, and search learns the new stock.
    expect((await stored(milk.id)).revision).toBe(2);
    expect((await stored(milk.id)).version).toBe(1);
    expect(
      documents()
        .map((d) => [d.id, d.stock, d.revision])
        .sort(),
    ).toEqual(
      [
        [milk.id, 5, 2],
        [bread.id, 0, 2],
      ].sort(),
    );
    expect(await outcomes()).toEqual({ reserved: 1 });
  });

  it('holds the lines in product-id order whatever the request order', async () => {
    const [low, high] = [await product(5), await product(5)].sort((a, b) => (a.id < b.id ? -1 : 1));
    const reply = await stock.reserve({
      reservationId: 'ordered',
      items: [
        { productId: high.id, quantity: 1 },
        { productId: low.id, quantity: 2 },
      ],
    });
    expect(reply.items).toEqual([
      { productId: low.id, quantity: 2 },
      { productId: high.id, quantity: 1 },
    ]);
  });

  it('is all or nothing: one short line refuses the whole reservation and takes nothing', async () => {
    const milk = await product(10);
    const bread = await product(1);
    const eggs = await product(0);
    const refused = await refusal(
      stock.reserve({
        reservationId: 'order-2',
        items: [
          { productId: milk.id, quantity: 2 },
          { productId: bread.id, quantity: 3 },
          { productId: eggs.id, quantity: 1 },
        ],
      }),
    );
    expect(refused).toMatchObject({
      status: 409,
      code: 'INSUFFICIENT_STOCK',
      message: 'Not enough stock for 2 lines',
    });
    expect(refused.details).toEqual({
      items: expect.arrayContaining([
        { productId: bread.id, requested: 3, available: 1 },
        { productId: eggs.id, requested: 1, available: 0 },
      ]),
    });
    expect((refused.details as { items: unknown[] }).items).toHaveLength(2);
    expect(await unitsOf(milk.id)).toBe(10);
    expect(await unitsOf(bread.id)).toBe(1);
    expect((await stored(milk.id)).revision).toBe(1);
    expect(await lines('order-2')).toEqual([]);
    expect(documents()).toEqual([]);
    expect(await outcomes()).toEqual({ insufficient: 1 });
  });

  it('never goes below zero: the last units can be taken, one more cannot', async () => {
    const milk = await product(3);
    await stock.reserve({ reservationId: 'a', items: [{ productId: milk.id, quantity: 3 }] });
    expect(await unitsOf(milk.id)).toBe(0);
    const refused = await refusal(
      stock.reserve({ reservationId: 'b', items: [{ productId: milk.id, quantity: 1 }] }),
    );
    expect(refused).toMatchObject({
      status: 409,
      code: 'INSUFFICIENT_STOCK',
      message: 'Not enough stock for 1 line',
      details: { items: [{ productId: milk.id, requested: 1, available: 0 }] },
    });
    expect(await unitsOf(milk.id)).toBe(0);
  });

  it('concurrent reservations of the same stock: exactly as many as fit succeed', async () => {
    const milk = await product(5);
    const replies = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) =>
        stock.reserve({ reservationId: `rush-${n}`, items: [{ productId: milk.id, quantity: 2 }] }),
      ),
    );
    const won = replies.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(2);
    for (const r of replies)
      if (r.status === 'rejected')
        expect((r.reason as AppError).getResponse()).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect(await unitsOf(milk.id)).toBe(1);
    expect(await data.db.getRepository(StockReservation).countBy({ productId: milk.id })).toBe(2);
    expect(await outcomes()).toEqual({ reserved: 2, insufficient: 10 });
  });

  it('refuses unknown and archived products by id, taking nothing', async () => {
    const milk = await product(5);
    const old = await product(5, { archived: true });
    const ghost = randomUUID();
    const refused = await refusal(
      stock.reserve({
        reservationId: 'order-3',
        items: [
          { productId: milk.id, quantity: 1 },
          { productId: old.id, quantity: 1 },
          { productId: ghost, quantity: 1 },
        ],
      }),
    );
    expect(refused).toMatchObject({ status: 422, code: 'UNKNOWN_PRODUCT' });
    expect(refused.message).toMatch(/^Unknown or archived products: /);
    expect((refused.details as { productIds: string[] }).productIds.sort()).toEqual(
      [old.id, ghost].sort(),
    );
    expect(await unitsOf(milk.id)).toBe(5);
    expect(await unitsOf(old.id)).toBe(5);
    expect(await lines('order-3')).toEqual([]);
    // Not a shortage: the metric of insufficient stock is not counted.
    expect(await outcomes()).toEqual({});

    const one = await refusal(
      stock.reserve({ reservationId: 'order-4', items: [{ productId: ghost, quantity: 1 }] }),
    );
    expect(one.message).toBe(`Unknown or archived product: ${ghost}`);
  });

  it('a repeated reservation replays the first, taking stock once', async () => {
    const milk = await product(5);
    const request = { reservationId: 'retry', items: [{ productId: milk.id, quantity: 2 }] };
    await stock.reserve(request);
    const again = await stock.reserve({
      ...request,
      items: [{ productId: milk.id, quantity: 4 }],
    });
    expect(again).toEqual({
      reservationId: 'retry',
      items: [{ productId: milk.id, quantity: 2 }],
      created: false,
    });
    expect(await unitsOf(milk.id)).toBe(3);
    expect(await outcomes()).toEqual({ reserved: 1, replayed: 1 });
  });

  it('a release gives back exactly what was taken, once', async () => {
    const milk = await product(5);
    const bread = await product(2);
    await stock.reserve({
      reservationId: 'undo',
      items: [
        { productId: milk.id, quantity: 2 },
        { productId: bread.id, quantity: 2 },
      ],
    });
    // Someone else buys in between: the release gives back its own units, not the old stock.
    await stock.reserve({ reservationId: 'other', items: [{ productId: milk.id, quantity: 1 }] });
    data.sent.length = 0;
    expect(await stock.release('undo')).toEqual({ reservationId: 'undo', released: true });
    expect(await unitsOf(milk.id)).toBe(4);
    expect(await unitsOf(bread.id)).toBe(2);
    expect((await stored(milk.id)).revision).toBe(4);
    expect((await lines('undo')).every((l) => l.releasedAt instanceof Date)).toBe(true);
    expect(
      documents()
        .map((d) => [d.id, d.stock])
        .sort(),
    ).toEqual(
      [
        [milk.id, 4],
        [bread.id, 2],
      ].sort(),
    );

    data.sent.length = 0;
    expect(await stock.release('undo')).toEqual({ reservationId: 'undo', released: false });
    expect(await unitsOf(milk.id)).toBe(4);
    expect(documents()).toEqual([]);
    expect(await outcomes()).toEqual({ reserved: 2, released: 1 });
  });

  it('concurrent releases of one reservation give the stock back once', async () => {
    const milk = await product(5);
    await stock.reserve({ reservationId: 'twice', items: [{ productId: milk.id, quantity: 3 }] });
    const replies = await Promise.all([stock.release('twice'), stock.release('twice')]);
    expect(replies.filter((r) => r.released)).toHaveLength(1);
    expect(await unitsOf(milk.id)).toBe(5);
  });

  it('a released reservation is never held again, also when the release came first', async () => {
    const milk = await product(5);
    await stock.reserve({ reservationId: 'gone', items: [{ productId: milk.id, quantity: 1 }] });
    await stock.release('gone');
    const again = await refusal(
      stock.reserve({ reservationId: 'gone', items: [{ productId: milk.id, quantity: 1 }] }),
    );
    expect(again).toMatchObject({
      status: 409,
      code: 'RESERVATION_RELEASED',
      message: 'Reservation gone was released',
    });

    // The caller gave up and released before its reservation arrived.
    expect(await stock.release('late')).toEqual({ reservationId: 'late', released: false });
    const late = await refusal(
      stock.reserve({ reservationId: 'late', items: [{ productId: milk.id, quantity: 1 }] }),
    );
    expect(late).toMatchObject({ status: 409, code: 'RESERVATION_RELEASED' });
    expect(await unitsOf(milk.id)).toBe(5);
    // A second early release leaves the one mark, and still nothing is held.
    expect(await stock.release('late')).toEqual({ reservationId: 'late', released: false });
    expect(await data.db.getRepository(StockReservation).countBy({ reservationId: 'late' })).toBe(
      1,
    );
  });

  it('lists the reservations made or released since an instant, by id, a page at a time', async () => {
    const milk = await product(10);
    const take = (reservationId: string) =>
      stock.reserve({ reservationId, items: [{ productId: milk.id, quantity: 1 }] });
    await take('a-old');
    await take('b-old-released');
    const times = data.db.getRepository(StockReservation);
    const longAgo = new Date(Date.now() - 3_600_000);
    await times.update({ reservationId: In(['a-old', 'b-old-released']) }, { createdAt: longAgo });
    const since = new Date(Date.now() - 60_000);
    await stock.release('b-old-released');
    await take('c-new');
    await take('d-new');
    await stock.release('e-released-early');

    const first = await stock.changedSince(since, undefined, 2);
    expect(first).toEqual({
      items: [
        { reservationId: 'b-old-released', held: false },
        { reservationId: 'c-new', held: true },
      ],
      nextAfterId: 'c-new',
    });
    expect(await stock.changedSince(since, 'c-new', 2)).toEqual({
      items: [
        { reservationId: 'd-new', held: true },
        { reservationId: 'e-released-early', held: false },
      ],
      nextAfterId: 'e-released-early',
    });
    expect(await stock.changedSince(since, 'e-released-early', 2)).toEqual({
      items: [],
      nextAfterId: null,
    });
    // 'a-old' was made and is held before the instant: not listed.
  });

  it('works without metrics', async () => {
    const milk = await product(1);
    const bare = new StockService(data.outbox, data.db.getRepository(StockReservation));
    await bare.reserve({ reservationId: 'm', items: [{ productId: milk.id, quantity: 1 }] });
    await refusal(
      bare.reserve({ reservationId: 'n', items: [{ productId: milk.id, quantity: 1 }] }),
    );
    expect(await bare.release('m')).toEqual({ reservationId: 'm', released: true });
    expect(await unitsOf(milk.id)).toBe(1);
  });
});
