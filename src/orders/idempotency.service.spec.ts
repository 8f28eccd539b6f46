import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { refusal } from '@mfm/platform/testing/refusal';
import { IdempotencyRecord } from './entities/idempotency-record.entity';
import { IdempotencyService, requestHash } from './idempotency.service';
import { ORDERS_ENTITIES, ORDERS_MIGRATIONS } from './orders-schema';

const DAY_MS = 24 * 3600 * 1000;

describe('IdempotencyService (real SQLite, in memory)', () => {
  let db: DataSource;
  let tx: TransactionRunner;
  let keys: IdempotencyService;
  const ada = randomUUID();
  const grace = randomUUID();
  const basket = requestHash([{ productId: 'milk', quantity: 2 }]);
  const other = requestHash([{ productId: 'milk', quantity: 3 }]);

  beforeEach(async () => {
    db = await testDatabase(ORDERS_ENTITIES, ORDERS_MIGRATIONS);
    tx = new TransactionRunner(db, 'orders');
    keys = new IdempotencyService(tx);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    tx.onApplicationShutdown();
    await db.destroy();
  });

  const claim = (userId: string, key: string, hash: string, orderId = randomUUID()) =>
    tx.run((manager) => keys.claim(manager, userId, key, hash, orderId));
  const complete = (orderId: string, status: number, body: object) =>
    tx.run((manager) => keys.complete(manager, orderId, { status, body }));
  const record = (userId: string, key: string) =>
    db.getRepository(IdempotencyRecord).findOneBy({ userId, key });

  it('hashes the request: the same request the same, another request another', () => {
    expect(requestHash([{ productId: 'milk', quantity: 2 }])).toBe(basket);
    expect(basket).toMatch(/^[0-9a-f]{64}$/);
    expect(other).not.toBe(basket);
  });

  it('the first request takes the key; a repeat of the same request gets its record', async () => {
    const first = randomUUID();
    expect(await claim(ada, 'k1', basket, first)).toBeNull();
    expect(await record(ada, 'k1')).toMatchObject({
      requestHash: basket,
      orderId: first,
      responseStatus: null,
      responseBody: null,
    });
    const repeat = await claim(ada, 'k1', basket);
    expect(repeat).toMatchObject({ orderId: first, requestHash: basket });
    expect(await db.getRepository(IdempotencyRecord).count()).toBe(1);
  });

  it('the same key with a different request is refused, and the first keeps the key', async () => {
    const first = randomUUID();
    await claim(ada, 'k2', basket, first);
    const refused = await refusal(claim(ada, 'k2', other));
    expect(refused).toMatchObject({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was already used with a different request',
      details: { key: 'k2' },
    });
    expect(await record(ada, 'k2')).toMatchObject({ orderId: first, requestHash: basket });
  });

  it('keys are per user: another user may use the same key', async () => {
    await claim(ada, 'shared', basket);
    expect(await claim(grace, 'shared', other)).toBeNull();
    expect(await db.getRepository(IdempotencyRecord).countBy({ key: 'shared' })).toBe(2);
  });

  it('a key lasts 24 hours: then it starts afresh, with any request', async () => {
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    const old = randomUUID();
    const young = randomUUID();
    await db.getRepository(IdempotencyRecord).insert([
      {
        userId: ada,
        key: 'old',
        requestHash: basket,
        orderId: old,
        responseStatus: 201,
        responseBody: { id: old },
        createdAt: new Date(now - DAY_MS),
      },
      {
        userId: ada,
        key: 'young',
        requestHash: basket,
        orderId: young,
        responseStatus: 201,
        responseBody: { id: young },
        createdAt: new Date(now - DAY_MS + 1),
      },
    ]);
    const fresh = randomUUID();
    expect(await claim(ada, 'old', other, fresh)).toBeNull();
    expect(await record(ada, 'old')).toMatchObject({
      orderId: fresh,
      requestHash: other,
      responseStatus: null,
    });
    expect(await claim(ada, 'young', basket)).toMatchObject({ orderId: young });
    expect(await refusal(claim(ada, 'young', other))).toMatchObject({ status: 422 });
  });

  it('of two requests taking one key at once, one does the work and the other gets its record', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const results = await Promise.all([
      claim(ada, 'race', basket, a),
      claim(ada, 'race', basket, b),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const winner = (await record(ada, 'race'))?.orderId;
    expect([a, b]).toContain(winner);
    expect(results.find((r) => r !== null)).toMatchObject({ orderId: winner });
    // A different request racing for the key is refused, not replayed.
    const raced = await Promise.allSettled([
      claim(ada, 'race-2', basket),
      claim(ada, 'race-2', other),
    ]);
    expect(raced.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('a completed request replays its response, status and body', async () => {
    const orderId = randomUUID();
    await claim(ada, 'done', basket, orderId);
    await complete(orderId, 409, { code: 'INSUFFICIENT_STOCK', details: { orderId } });
    expect(await keys.awaitResponse(ada, 'done')).toEqual({
      status: 409,
      body: { code: 'INSUFFICIENT_STOCK', details: { orderId } },
    });
    expect(await record(ada, 'done')).toMatchObject({ responseStatus: 409 });
  });

  it('a repeat waits while the first request runs, then replays its response', async () => {
    const orderId = randomUUID();
    await claim(ada, 'slow', basket, orderId);
    const waiting = keys.awaitResponse(ada, 'slow');
    await new Promise((resolve) => setTimeout(resolve, 120));
    await complete(orderId, 201, { id: orderId, status: 'CONFIRMED' });
    await expect(waiting).resolves.toEqual({
      status: 201,
      body: { id: orderId, status: 'CONFIRMED' },
    });
  });

  it('a repeat while the first request is still running past the wait is refused as in progress', async () => {
    await claim(ada, 'stuck', basket);
    const start = Date.now();
    // The clock: the start, then exactly at the deadline (still waiting), then past it.
    const clock = [start, start + 15_000, start + 15_001];
    jest.spyOn(Date, 'now').mockImplementation(() => clock.shift() ?? start + 60_000);
    const refused = await refusal(keys.awaitResponse(ada, 'stuck'));
    expect(refused).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_IN_PROGRESS',
      message: 'A request with this Idempotency-Key is still being processed; retry shortly',
      details: { key: 'stuck' },
    });
    expect(clock).toEqual([]);
  });

  it('a key whose record is gone is refused as in progress (the first request gave up)', async () => {
    expect(await refusal(keys.awaitResponse(ada, 'nothing'))).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_IN_PROGRESS',
    });
  });

  it('a 503 is not kept: the key is free for a retry of the same request', async () => {
    const orderId = randomUUID();
    await claim(ada, 'outage', basket, orderId);
    await complete(orderId, 503, { code: 'PEER_UNAVAILABLE' });
    expect(await record(ada, 'outage')).toBeNull();
    expect(await claim(ada, 'outage', basket)).toBeNull();
  });

  it('completing an order placed without a key changes no record', async () => {
    const orderId = randomUUID();
    await claim(ada, 'kept', basket, orderId);
    await complete(randomUUID(), 201, { id: 'x' });
    await complete(randomUUID(), 503, {});
    expect(await record(ada, 'kept')).toMatchObject({ orderId, responseStatus: null });
  });
});
