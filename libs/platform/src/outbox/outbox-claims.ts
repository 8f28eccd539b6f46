import { Brackets, EntityManager, In } from 'typeorm';
import { dialectOf } from '../database/dialect';
import { OutboxMessage } from './outbox-message.entity';

export interface ClaimRequest {
  target: string;
  limit: number;
  /** The claiming process, written into the rows. */
  claimer: string;
  leaseMs: number;
  /** Take messages still waiting for their next attempt too (a fresh write kicks delivery). */
  ignoreBackoff: boolean;
}

/**
 * Claims the next messages for one receiver, inside the caller's transaction, and returns them
 * in delivery order. Several replicas of a module may run this at once on one PostgreSQL table:
 *
 * 1. The oldest undelivered messages that nobody holds a lease on are locked with
 *    `FOR UPDATE SKIP LOCKED`: a replica never waits for another, and never gets the rows another
 *    is claiming right now.
 * 2. Order per aggregate: a message is kept only if every earlier undelivered message with the
 *    same `orderKey` is kept too. The first of a key must be the oldest undelivered message of
 *    that key in the whole table (whoever holds it), so no replica can overtake a message that
 *    another replica holds, or that waits for a retry. Messages without a key have no order.
 * 3. The kept rows get a lease (`claimedBy`, `claimedUntil`); the transaction commits and the
 *    caller delivers them. If it dies, the lease runs out and another replica takes them: at
 *    least once, and the receivers deduplicate.
 *
 * SQLite has no row locks and needs none: one process owns the file and its write queue runs
 * this transaction alone.
 */
export async function claimBatch(
  manager: EntityManager,
  { target, limit, claimer, leaseMs, ignoreBackoff }: ClaimRequest,
): Promise<OutboxMessage[]> {
  const now = new Date();
  const query = manager
    .createQueryBuilder(OutboxMessage, 'm')
    .where('m.target = :target', { target })
    .andWhere('m.deliveredAt IS NULL')
    .andWhere(
      new Brackets((free) =>
        free.where('m.claimedUntil IS NULL').orWhere('m.claimedUntil < :now', { now }),
      ),
    )
    .orderBy('m.seq', 'ASC')
    .limit(limit);
  if (!ignoreBackoff)
    query.andWhere(
      new Brackets((due) =>
        due.where('m.nextAttemptAt IS NULL').orWhere('m.nextAttemptAt <= :now', { now }),
      ),
    );
  if (dialectOf(manager) === 'postgres')
    query.setLock('pessimistic_write').setOnLocked('skip_locked');
  const candidates = await query.getMany();
  if (candidates.length === 0) return [];

  const keys = [...new Set(candidates.flatMap((row) => (row.orderKey ? [row.orderKey] : [])))];
  const lastSeq = candidates[candidates.length - 1].seq;
  const undeliveredOfKey = new Map<string, number[]>();
  if (keys.length > 0) {
    const others = await manager
      .createQueryBuilder(OutboxMessage, 'm')
      .select(['m.seq', 'm.orderKey'])
      .where('m.target = :target', { target })
      .andWhere('m.deliveredAt IS NULL')
      .andWhere('m.orderKey IN (:...keys)', { keys })
      .andWhere('m.seq <= :lastSeq', { lastSeq })
      .orderBy('m.seq', 'ASC')
      .getMany();
    for (const row of others) {
      const list = undeliveredOfKey.get(row.orderKey as string) ?? [];
      list.push(row.seq);
      undeliveredOfKey.set(row.orderKey as string, list);
    }
  }
  // Per key, keep the candidates while they are exactly the key's oldest undelivered messages.
  const position = new Map<string, number>();
  const blocked = new Set<string>();
  const kept = candidates.filter((row) => {
    if (!row.orderKey) return true;
    if (blocked.has(row.orderKey)) return false;
    const index = position.get(row.orderKey) ?? 0;
    if (undeliveredOfKey.get(row.orderKey)?.[index] !== row.seq) {
      blocked.add(row.orderKey);
      return false;
    }
    position.set(row.orderKey, index + 1);
    return true;
  });
  if (kept.length === 0) return [];
  const claimedUntil = new Date(now.getTime() + leaseMs);
  await manager.update(
    OutboxMessage,
    { seq: In(kept.map((row) => row.seq)) },
    { claimedBy: claimer, claimedUntil },
  );
  for (const row of kept) Object.assign(row, { claimedBy: claimer, claimedUntil });
  return kept;
}
