import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditEventInput, LoggingPatterns } from '@mfm/contracts/logging.contract';
import { BATCH_PATTERNS } from '@mfm/contracts/outbox-batches';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, IsNull, LessThan, Repository } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TransactionRunner } from '../database/transaction-runner';
import { RpcClient } from '../rpc/rpc-client';
import { ModuleName } from '../topology/module-names';
import { OutboxMessage } from './outbox-message.entity';
import { countWithinBudget } from '../rpc/frame-budget';
import { MAIL_PATTERN, MAIL_TARGET, MailContent, MailRecipient } from '../mail/mail-message';

/**
 * An audit event as a module describes it; the outbox adds id, time and request id. The time
 * is now unless given (the demo store's history is dated in the past).
 */
export type NewAuditEvent = Omit<AuditEventInput, 'eventId' | 'occurredAt' | 'requestId'> & {
  occurredAt?: string;
};

/** What `work` may send, inside its transaction. */
export interface OutboxWriter {
  /** An audit event for the central log. */
  audit(event: NewAuditEvent): Promise<void>;
  /** Any message to another module; the receiver must tolerate repeats. */
  send(target: ModuleName, pattern: string, payload: object): Promise<void>;
  /** A mail, rendered and sent by this process's mail sender after the commit. */
  mail(to: MailRecipient, content: MailContent): Promise<void>;
}

/** Where an outbox delivers: a module's RPC client, or this process's mail sender. */
export type OutboxReceiver = Pick<RpcClient, 'send'>;
export type OutboxTarget = ModuleName | typeof MAIL_TARGET;

const READ_YOUR_WRITES_WAIT_MS = 250;
const DELIVERY_TIMEOUT_MS = 1000;
const POLL_INTERVAL_MS = 500;
const MAX_BACKOFF_MS = 5000;
const KEEP_DELIVERED_MS = 7 * 24 * 3600 * 1000;
const PRUNE_INTERVAL_MS = 3600 * 1000;
const MAX_BATCH = 100;

/**
 * Takes from the head of the queue the messages one call can carry: a run of one batchable
 * pattern that fits in `budget` characters (a bus frame has a size limit), or one message.
 */
function takeBatch(queue: OutboxMessage[], budget: number): OutboxMessage[] {
  const pattern = queue[0].pattern;
  if (!BATCH_PATTERNS[pattern]) return queue.splice(0, 1);
  let length = 1;
  while (length < queue.length && queue[length].pattern === pattern) length++;
  const sizes = queue.slice(0, length).map((row) => row.body.length);
  return queue.splice(0, countWithinBudget(sizes, budget));
}

/**
 * Store-and-forward messages from one module to others: at least once, in order per receiver,
 * with retry and backoff; receivers dedupe (logging on eventId, search on product version).
 *
 * Normal operation: the change and its messages commit together, then the messages are
 * delivered at once and the request waits (at most 250 ms) for the acknowledgements, so a
 * client that reads the log (or searches) right after sees the change. Only while a receiver is
 * unreachable do its messages wait here; a slow receiver never holds up another one.
 */
export class Outbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly drains = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly waiters = new Map<string, () => void>();
  private timer?: NodeJS.Timeout;
  private lastPrune = 0;

  constructor(
    readonly module: ModuleName,
    private readonly repo: Repository<OutboxMessage>,
    private readonly tx: TransactionRunner,
    private readonly clientOf: (target: OutboxTarget) => OutboxReceiver,
    /** Characters of message bodies one batch may carry (see batchBudget). */
    private readonly batchBudget = Number.POSITIVE_INFINITY,
    /** Seals mail before it is stored (modules whose mail carries personal data or secrets). */
    private readonly sealMail?: (json: string) => string,
  ) {
    this.logger = new Logger(`Outbox:${module}`);
  }

  /**
   * Runs `work` in one write transaction; what it sends commits with it and goes out right after.
   * `waitMs`: how long to wait for the receivers' acknowledgements (0: don't wait).
   */
  async write<T>(
    work: (manager: EntityManager, out: OutboxWriter) => Promise<T>,
    { waitMs = READ_YOUR_WRITES_WAIT_MS } = {},
  ): Promise<T> {
    const sent: Array<{ id: string; target: string }> = [];
    const result = await this.tx.run((manager) => {
      const add = async (target: OutboxTarget, pattern: string, id: string, payload: object) => {
        await manager.insert(OutboxMessage, {
          messageId: id,
          target,
          pattern,
          body: JSON.stringify(payload),
          attempts: 0,
          nextAttemptAt: null,
          deliveredAt: null,
          lastError: null,
        });
        sent.push({ id, target });
      };
      return work(manager, {
        audit: (event) => {
          const eventId = randomUUID();
          const full: AuditEventInput = {
            ...event,
            eventId,
            occurredAt: event.occurredAt ?? new Date().toISOString(),
            requestId: RequestContext.requestId(),
          };
          return add('logging', LoggingPatterns.record, eventId, full);
        },
        send: (target, pattern, payload) => add(target, pattern, randomUUID(), payload),
        mail: (to, content) => {
          const mailId = randomUUID();
          const message = { ...content, mailId, to };
          const body = this.sealMail ? { sealed: this.sealMail(JSON.stringify(message)) } : message;
          return add(MAIL_TARGET, MAIL_PATTERN, mailId, body);
        },
      });
    });
    if (sent.length > 0) await this.deliverSoon(sent, waitMs);
    return result;
  }

  /** Undelivered messages, oldest first. */
  pending(): Promise<OutboxMessage[]> {
    return this.repo.find({ where: { deliveredAt: IsNull() }, order: { seq: 'ASC' } });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Messages left by a previous run (receiver down, or a crash after commit) go out now.
    for (const target of await this.pendingTargets()) this.kick(target, true);
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.drains.values());
  }

  private async poll(): Promise<void> {
    try {
      for (const target of await this.pendingTargets()) this.kick(target, false);
      await this.prune();
    } catch (error) {
      this.logger.error({ msg: 'outbox poll failed', error: (error as Error).message });
    }
  }

  private async pendingTargets(): Promise<string[]> {
    const rows = await this.repo
      .createQueryBuilder('m')
      .select('DISTINCT m.target', 'target')
      .where('m.deliveredAt IS NULL')
      .getRawMany<{ target: string }>();
    return rows.map((row) => row.target);
  }

  private async deliverSoon(
    sent: Array<{ id: string; target: string }>,
    waitMs: number,
  ): Promise<void> {
    if (waitMs <= 0) {
      for (const target of new Set(sent.map((s) => s.target))) this.kick(target, true);
      return;
    }
    const delivered = Promise.all(
      sent.map(({ id }) => new Promise<void>((resolve) => this.waiters.set(id, resolve))),
    );
    for (const target of new Set(sent.map((s) => s.target))) this.kick(target, true);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      delivered,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
    for (const { id } of sent) this.waiters.delete(id);
  }

  /** Starts draining one receiver's queue unless that runs already; `now` ignores the backoff. */
  private kick(target: string, now: boolean): void {
    if (this.drains.has(target)) {
      if (now) this.again.add(target);
      return;
    }
    const drain = this.drain(target, now)
      .catch((error: unknown) =>
        this.logger.error({
          msg: `outbox drain to ${target} failed`,
          error: (error as Error).message,
        }),
      )
      .finally(() => {
        this.drains.delete(target);
        if (this.again.delete(target)) this.kick(target, true);
      });
    this.drains.set(target, drain);
  }

  private async drain(target: string, ignoreBackoff: boolean): Promise<void> {
    let now = ignoreBackoff;
    for (;;) {
      const queue = await this.repo.find({
        where: { target, deliveredAt: IsNull() },
        order: { seq: 'ASC' },
        take: MAX_BATCH,
      });
      if (queue.length === 0) return;
      // In order: nothing overtakes a message that is waiting for its next attempt.
      if (!now && queue[0].nextAttemptAt && new Date(queue[0].nextAttemptAt).getTime() > Date.now())
        return;
      while (queue.length > 0) {
        if (!(await this.deliver(takeBatch(queue, this.batchBudget)))) return;
      }
      now = true;
    }
  }

  /** Delivers one message, or a run of batchable ones in one call; false when the receiver failed. */
  private async deliver(rows: OutboxMessage[]): Promise<boolean> {
    const first = rows[0];
    const batchPattern = BATCH_PATTERNS[first.pattern];
    try {
      const client = this.clientOf(first.target as OutboxTarget);
      const options = { idempotent: true, timeoutMs: DELIVERY_TIMEOUT_MS };
      if (rows.length > 1 && batchPattern) {
        await client.send(
          batchPattern,
          { items: rows.map((row) => JSON.parse(row.body) as unknown) },
          options,
        );
      } else {
        await client.send(first.pattern, JSON.parse(first.body), options);
      }
    } catch (error) {
      const attempts = first.attempts + 1;
      const message = String((error as Error).message).slice(0, 500);
      const nextAttemptAt = new Date(Date.now() + Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempts));
      await this.tx.run((m) =>
        m.update(
          OutboxMessage,
          { seq: first.seq },
          { attempts, nextAttemptAt, lastError: message },
        ),
      );
      if (attempts === 1 || attempts % 20 === 0) {
        this.logger.warn({
          msg: `message to ${first.target} waits in the outbox: ${message}`,
          messageId: first.messageId,
          pattern: first.pattern,
          attempts,
        });
      }
      return false;
    }
    const seqs = rows.map((row) => row.seq);
    await this.tx.run((m) =>
      m.update(OutboxMessage, { seq: In(seqs) }, { deliveredAt: new Date(), lastError: null }),
    );
    for (const row of rows) this.waiters.get(row.messageId)?.();
    return true;
  }

  /** Delivered messages are kept a week for inspection, then dropped (checked hourly). */
  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = Date.now();
    const cutoff = new Date(Date.now() - KEEP_DELIVERED_MS);
    await this.tx.run((m) => m.delete(OutboxMessage, { deliveredAt: LessThan(cutoff) }));
  }
}
