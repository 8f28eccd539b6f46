import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThan, Repository } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { insertRaw } from '../database/raw-rows';
import { TransactionRunner } from '../database/transaction-runner';
import { Metrics } from '../metrics/metrics';
import type { Message } from '../rpc/message';
import { RpcClient } from '../rpc/rpc-client';
import { ShutdownState } from '../shutdown/shutdown-state';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import {
  SpanKind,
  TraceCarrier,
  context,
  contextFrom,
  currentTraceCarrier,
  endSpan,
  trace,
  tracer,
} from '../tracing/trace-context';
import { OutboxMessage } from './outbox-message.entity';
import { claimBatch } from './outbox-claims';
import { countWithinBudget } from '../rpc/frame-budget';
import { MAIL_PATTERN, MAIL_TARGET, MailContent, MailRecipient } from '../mail/mail-message';

/**
 * What `work` may send, inside its transaction (`Audit`: the audit events of the store's log;
 * `Mail`: the store's mails, by template).
 */
export interface OutboxWriter<Audit = never, Mail extends MailContent = MailContent> {
  /** An audit event for the central log. */
  audit(event: Audit): Promise<void>;
  /** One of another module's messages; only idempotent ones, as the outbox may deliver twice. */
  send<Req extends object>(message: Message<Req, unknown>, payload: Req): Promise<void>;
  /** A mail, rendered and sent by this process's mail sender after the commit. */
  mail(to: MailRecipient, content: Mail): Promise<void>;
}

/** Where an outbox delivers: a module's RPC client, or this process's mail sender. */
export type OutboxReceiver = Pick<RpcClient, 'send'>;
export type OutboxTarget = ModuleName | typeof MAIL_TARGET;

/**
 * What the outbox knows of the store's messages, given by the contracts: how an audit event
 * becomes the message that records it, and which messages travel several at a time.
 */
export interface OutboxMessages<Audit> {
  /**
   * The message that records `event` in the log, its payload (whose eventId is the message's
   * id), and the key that keeps the events of one subject in order. `requestId`: the request
   * being served, if any.
   */
  audit(
    event: Audit,
    requestId: string | undefined,
  ): { message: Message<object, unknown>; payload: { eventId: string }; orderKey: string };
  /**
   * Patterns whose messages may go several at a time, and the pattern that takes them as
   * `{ items: [...] }` (receivers handle each item exactly as the single message).
   */
  batchPatterns: Readonly<Record<string, string>>;
}

/** The token of the OutboxMessages every module's outbox uses (PlatformModule's bindings). */
export const OUTBOX_MESSAGES = 'OUTBOX_MESSAGES';

export interface OutboxOptions<Audit = never> {
  /** Audit events and batches; without them the outbox sends single messages and no audit. */
  messages?: OutboxMessages<Audit>;
  /** Characters of message bodies one batch may carry (see batchBudget). */
  batchBudget?: number;
  /** How long a claim on messages lasts (a replica that died leaves them to others after it). */
  leaseMs?: number;
  metrics?: Metrics;
  shutdown?: ShutdownState;
  /** Seals mail before it is stored (modules whose mail carries personal data or secrets). */
  sealMail?: (json: string) => string;
}

const READ_YOUR_WRITES_WAIT_MS = 250;
const DELIVERY_TIMEOUT_MS = 1000;
const POLL_INTERVAL_MS = 500;
const MAX_BACKOFF_MS = 5000;
const KEEP_DELIVERED_MS = 7 * 24 * 3600 * 1000;
const PRUNE_INTERVAL_MS = 3600 * 1000;
const MAX_BATCH = 100;
const DEFAULT_LEASE_MS = 15_000;

/**
 * Takes from the head of the queue the messages one call can carry: a run of one batchable
 * pattern that fits in `budget` characters (a bus frame has a size limit), or one message.
 */
function takeBatch(
  queue: OutboxMessage[],
  budget: number,
  batchPatterns: Readonly<Record<string, string>>,
): OutboxMessage[] {
  const pattern = queue[0].pattern;
  if (!batchPatterns[pattern]) return queue.splice(0, 1);
  let length = 1;
  while (length < queue.length && queue[length].pattern === pattern) length++;
  const sizes = queue.slice(0, length).map((row) => row.body.length);
  return queue.splice(0, countWithinBudget(sizes, budget));
}

/**
 * Store-and-forward messages from one module to others: at least once, in order per aggregate,
 * with retry and backoff; receivers dedupe (logging on eventId, search on product version).
 *
 * Normal operation: the change and its messages commit together, then the messages are
 * delivered at once and the request waits (at most 250 ms) for the acknowledgements, so a
 * client that reads the log (or searches) right after sees the change. Only while a receiver is
 * unreachable do its messages wait here; a slow receiver never holds up another one.
 *
 * Several replicas of a module share its outbox table (PostgreSQL): a deliverer first claims the
 * rows it will send (`FOR UPDATE SKIP LOCKED`, then a lease in the row), so each message goes
 * out from one replica; the lease lets another replica take over what a dead one had claimed.
 */
export class Outbox<Audit = never, Mail extends MailContent = MailContent>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger: Logger;
  private readonly drains = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly waiters = new Map<string, () => void>();
  /** This process's name in the rows it claims. */
  private readonly claimer = `${hostname().slice(0, 30)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly batchBudget: number;
  private readonly leaseMs: number;
  private readonly metrics?: Metrics;
  private readonly sealMail?: (json: string) => string;
  private readonly messages?: OutboxMessages<Audit>;
  private timer?: NodeJS.Timeout;
  private lastPrune = 0;
  private stopped = false;

  constructor(
    readonly module: ModuleName,
    private readonly repo: Repository<OutboxMessage>,
    private readonly tx: TransactionRunner,
    private readonly clientOf: (target: OutboxTarget) => OutboxReceiver,
    options: OutboxOptions<Audit> = {},
  ) {
    this.logger = new Logger(`Outbox:${module}`);
    this.batchBudget = options.batchBudget ?? Number.POSITIVE_INFINITY;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.metrics = options.metrics;
    this.sealMail = options.sealMail;
    this.messages = options.messages;
    this.metrics?.onCollect(() => this.collectMetrics());
    options.shutdown?.onFlush((deadline) => this.flush(deadline));
  }

  /**
   * Runs `work` in one write transaction; what it sends commits with it and goes out right after.
   * `waitMs`: how long to wait for the modules' acknowledgements (0: don't wait), so that a read
   * right after the answer sees the change (the audit log, the search index). Mail goes out in
   * the background: nothing the store answers reads it, and a slow mail server must not slow an
   * order or an edit.
   */
  async write<T>(
    work: (manager: EntityManager, out: OutboxWriter<Audit, Mail>) => Promise<T>,
    { waitMs = READ_YOUR_WRITES_WAIT_MS } = {},
  ): Promise<T> {
    const sent: Array<{ id: string; target: string }> = [];
    const carrier = currentTraceCarrier();
    const traceContext = carrier.traceparent ? JSON.stringify(carrier) : null;
    const result = await this.tx.run((manager) => {
      const add = async (
        target: OutboxTarget,
        pattern: string,
        id: string,
        payload: object,
        orderKey: string | null,
      ) => {
        await insertRaw(manager, OutboxMessage, [
          {
            messageId: id,
            target,
            pattern,
            body: JSON.stringify(payload),
            attempts: 0,
            nextAttemptAt: null,
            deliveredAt: null,
            lastError: null,
            orderKey,
            claimedBy: null,
            claimedUntil: null,
            traceContext,
          },
        ]);
        sent.push({ id, target });
      };
      return work(manager, {
        audit: (event) => {
          if (!this.messages) throw new Error(`the ${this.module} outbox records no audit events`);
          const { message, payload, orderKey } = this.messages.audit(
            event,
            RequestContext.requestId(),
          );
          return add(message.module, message.pattern, payload.eventId, payload, orderKey);
        },
        send: (message, payload) => {
          if (!message.idempotent)
            throw new Error(`${message.pattern} is not idempotent: an outbox may deliver it twice`);
          return add(message.module, message.pattern, randomUUID(), payload, null);
        },
        mail: (to, content) => {
          const mailId = randomUUID();
          const message = { ...content, mailId, to };
          const body = this.sealMail ? { sealed: this.sealMail(JSON.stringify(message)) } : message;
          return add(MAIL_TARGET, MAIL_PATTERN, mailId, body, null);
        },
      });
    });
    if (sent.length > 0) await this.deliverSoon(sent, waitMs);
    return result;
  }

  private get batchPatterns(): Readonly<Record<string, string>> {
    return this.messages?.batchPatterns ?? {};
  }

  /** Undelivered messages, oldest first. */
  pending(): Promise<OutboxMessage[]> {
    return this.repo.find({ where: { deliveredAt: IsNull() }, order: { seq: 'ASC' } });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (dialectOf(this.repo.manager) === 'sqlite') {
      // One process owns an SQLite file: claims left by an earlier run of it are void.
      await this.tx.run((m) =>
        m.update(OutboxMessage, { deliveredAt: IsNull() }, { claimedBy: null, claimedUntil: null }),
      );
    }
    // Messages left by a previous run (receiver down, or a crash after commit) go out now.
    for (const target of await this.pendingTargets()) this.kick(target, true);
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all(this.drains.values());
  }

  /**
   * For a graceful shutdown: waits for the deliveries under way, then tries once more to send
   * whatever waits (what still cannot be delivered stays stored for the next run or replica).
   */
  async flush(deadline: number): Promise<void> {
    const until = async (work: Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        work,
        new Promise((resolve) => (timer = setTimeout(resolve, Math.max(deadline - Date.now(), 0)))),
      ]);
      clearTimeout(timer);
    };
    await until(Promise.all(this.drains.values()));
    if (Date.now() >= deadline) return;
    for (const target of await this.pendingTargets()) this.kick(target, true);
    await until(Promise.all(this.drains.values()));
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
      sent
        .filter(({ target }) => target !== MAIL_TARGET)
        .map(({ id }) => new Promise<void>((resolve) => this.waiters.set(id, resolve))),
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
        if (this.again.delete(target) && !this.stopped) this.kick(target, true);
      });
    this.drains.set(target, drain);
  }

  private async drain(target: string, ignoreBackoff: boolean): Promise<void> {
    let now = ignoreBackoff;
    for (;;) {
      const claimed = await this.tx.run((manager) =>
        claimBatch(manager, {
          target,
          limit: MAX_BATCH,
          claimer: this.claimer,
          leaseMs: this.leaseMs,
          ignoreBackoff: now,
        }),
      );
      if (claimed.length === 0) return;
      const queue = [...claimed];
      const delivered: OutboxMessage[] = [];
      let failed = false;
      while (queue.length > 0 && !failed) {
        const batch = takeBatch(queue, this.batchBudget, this.batchPatterns);
        if (await this.deliver(batch)) delivered.push(...batch);
        else failed = true;
      }
      // One transaction acknowledges all that this round delivered: a lost acknowledgement
      // only means a redelivery, which the receivers recognise.
      await this.acknowledge(delivered);
      if (failed) {
        await this.release(queue);
        return;
      }
      now = true;
    }
  }

  /** Delivers one message, or a run of batchable ones in one call; false when the receiver failed. */
  private async deliver(rows: OutboxMessage[]): Promise<boolean> {
    const first = rows[0];
    const batchPattern = this.batchPatterns[first.pattern];
    const span = this.deliverySpan(rows);
    try {
      const client = this.clientOf(first.target as OutboxTarget);
      const options = { idempotent: true, timeoutMs: DELIVERY_TIMEOUT_MS };
      await context.with(trace.setSpan(context.active(), span), () =>
        rows.length > 1 && batchPattern
          ? client.send(
              batchPattern,
              { items: rows.map((row) => JSON.parse(row.body) as unknown) },
              options,
            )
          : client.send(first.pattern, JSON.parse(first.body), options),
      );
    } catch (error) {
      endSpan(span, error);
      this.countAttempts(first.target, 'failed', rows.length);
      const attempts = first.attempts + 1;
      const message = String((error as Error).message).slice(0, 500);
      const nextAttemptAt = new Date(Date.now() + Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempts));
      await this.tx.run((m) =>
        m.update(
          OutboxMessage,
          { seq: In(rows.map((row) => row.seq)) },
          { attempts, nextAttemptAt, lastError: message, claimedBy: null, claimedUntil: null },
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
    endSpan(span);
    this.countAttempts(first.target, 'delivered', rows.length);
    // The receiver has it: a request waiting to read its own write may go on now.
    for (const row of rows) this.waiters.get(row.messageId)?.();
    return true;
  }

  private async acknowledge(rows: OutboxMessage[]): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.run((m) =>
      m.update(
        OutboxMessage,
        { seq: In(rows.map((row) => row.seq)) },
        { deliveredAt: new Date(), lastError: null, claimedBy: null, claimedUntil: null },
      ),
    );
  }

  /**
   * Claimed messages this run will not send (their receiver just failed) go back to the queue,
   * after the same backoff, instead of waiting for their lease to end.
   */
  private async release(rows: OutboxMessage[]): Promise<void> {
    if (rows.length === 0) return;
    const nextAttemptAt = new Date(Date.now() + 100);
    // On SQLite a claim leaves no mark in the rows (see claimBatch).
    const ours = dialectOf(this.repo.manager) === 'postgres' ? { claimedBy: this.claimer } : {};
    await this.tx.run((m) =>
      m.update(
        OutboxMessage,
        { seq: In(rows.map((row) => row.seq)), ...ours },
        { claimedBy: null, claimedUntil: null, nextAttemptAt },
      ),
    );
  }

  /**
   * The span of one delivery: a child of the change that wrote the first message (so it belongs
   * to that request's trace), linked to the changes of every message of the batch.
   */
  private deliverySpan(rows: OutboxMessage[]) {
    const carriers = rows
      .map((row) => (row.traceContext ? (JSON.parse(row.traceContext) as TraceCarrier) : undefined))
      .filter((carrier): carrier is TraceCarrier => carrier !== undefined);
    const links = carriers
      .map((carrier) => trace.getSpanContext(contextFrom(carrier)))
      .filter((link) => link !== undefined)
      .map((spanContext) => ({ context: spanContext }));
    return tracer.startSpan(
      `outbox deliver ${rows[0].pattern}`,
      {
        kind: SpanKind.PRODUCER,
        links,
        attributes: {
          'messaging.system': 'mfm-outbox',
          'messaging.destination.name': rows[0].target,
          'messaging.batch.message_count': rows.length,
        },
      },
      contextFrom(carriers[0]),
    );
  }

  private countAttempts(target: string, outcome: 'delivered' | 'failed', count: number): void {
    this.metrics?.outboxDeliveries.inc({ module: this.module, target, outcome }, count);
  }

  /** Backlog per receiver and the age of the oldest waiting message, read on each scrape. */
  private async collectMetrics(): Promise<void> {
    if (!this.metrics) return;
    const postgres = dialectOf(this.repo.manager) === 'postgres';
    const age = postgres
      ? `EXTRACT(EPOCH FROM (LOCALTIMESTAMP - MIN("createdAt")))`
      : `(julianday('now') - julianday(MIN("createdAt"))) * 86400`;
    const rows = await this.repo.query<Array<{ target: string; n: string | number; age: unknown }>>(
      `SELECT "target" AS target, COUNT(*) AS n, ${age} AS age FROM outbox_message WHERE "deliveredAt" IS NULL GROUP BY "target"`,
    );
    const byTarget = new Map(rows.map((row) => [row.target, row]));
    let oldest = 0;
    for (const target of MODULE_NAMES) {
      if (target === this.module) continue;
      const row = byTarget.get(target);
      this.metrics.outboxBacklog.set({ module: this.module, target }, Number(row?.n ?? 0));
      if (row) oldest = Math.max(oldest, Number(row.age) || 0);
    }
    this.metrics.outboxOldestAge.set({ module: this.module }, Math.max(oldest, 0));
  }

  /** Delivered messages are kept a week for inspection, then dropped (checked hourly). */
  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = Date.now();
    const cutoff = new Date(Date.now() - KEEP_DELIVERED_MS);
    await this.tx.run((m) => m.delete(OutboxMessage, { deliveredAt: LessThan(cutoff) }));
  }
}
