import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrdersErrors } from '@mfm/contracts/errors.contract';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { IdempotencyRecord } from './entities/idempotency-record.entity';
import type { RenderedResponse } from './order-outcome';

const KEY_LIFETIME_MS = 24 * 3600 * 1000;
const WAIT_FOR_FIRST_MS = 15_000;
const POLL_MS = 50;

export const requestHash = (request: unknown): string =>
  createHash('sha256').update(JSON.stringify(request)).digest('hex');

/** The record of a key's first request, unless this request is a different one (422). */
function sameRequest(record: IdempotencyRecord, hash: string, key: string): IdempotencyRecord {
  if (record.requestHash !== hash) {
    throw OrdersErrors.IDEMPOTENCY_KEY_REUSED.error({ key });
  }
  return record;
}

/**
 * Idempotency-Key handling: the first request with a key does the work; every repeat from the
 * same user within 24 h gets the first response (same status, same body), even while the first
 * is still running (the repeat waits for it). The same key with a different body → 422.
 */
@Injectable()
export class IdempotencyService {
  constructor(@Inject(transactionRunnerToken('orders')) private readonly tx: TransactionRunner) {}

  /**
   * Inside the transaction that creates the order: null when this request is the first (the key
   * is now taken), or the record of the first one.
   */
  async claim(
    manager: EntityManager,
    userId: string,
    key: string,
    hash: string,
    orderId: string,
  ): Promise<IdempotencyRecord | null> {
    const existing = await manager.findOneBy(IdempotencyRecord, { userId, key });
    if (existing && Date.now() - new Date(existing.createdAt).getTime() < KEY_LIFETIME_MS)
      return sameRequest(existing, hash, key);
    if (existing) await manager.delete(IdempotencyRecord, { userId, key });
    // Replicas on one database may take the same key at the same moment: the insert that loses
    // does nothing (it waits for the winner's commit), and its request replays the winner's.
    await manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyRecord)
      .values({
        userId,
        key,
        requestHash: hash,
        orderId,
        responseStatus: null,
        responseBody: null,
        createdAt: new Date(),
      })
      .orIgnore()
      .execute();
    const taken = await manager.findOneByOrFail(IdempotencyRecord, { userId, key });
    return taken.orderId === orderId ? null : sameRequest(taken, hash, key);
  }

  /** The first request's response, once it has one. */
  async awaitResponse(userId: string, key: string): Promise<RenderedResponse> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const record = await this.tx.run((manager) =>
        manager.findOneBy(IdempotencyRecord, { userId, key }),
      );
      if (record?.responseStatus != null)
        return { status: record.responseStatus, body: record.responseBody ?? {} };
      if (!record || Date.now() > deadline) {
        throw OrdersErrors.IDEMPOTENCY_IN_PROGRESS.error({ key });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Stores the response for replay, inside the transaction that finishes the order, so the order
   * and its key never disagree — also when the request died and crash recovery finished it. A 503
   * is not stored: nothing was sold, and the client should be able to retry with the same key
   * once the store is healthy again. Orders placed without a key have no record: nothing happens.
   */
  async complete(
    manager: EntityManager,
    orderId: string,
    response: RenderedResponse,
  ): Promise<void> {
    if (response.status === 503) await manager.delete(IdempotencyRecord, { orderId });
    else
      await manager.update(
        IdempotencyRecord,
        { orderId },
        { responseStatus: response.status, responseBody: response.body },
      );
  }
}
