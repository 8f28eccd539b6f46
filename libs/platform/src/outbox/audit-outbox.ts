import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditEventInput, LoggingClient } from '@mfm/contracts/logging.contract';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, LessThan, Repository } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TransactionRunner } from '../database/transaction-runner';
import { ModuleName } from '../topology/module-names';
import { OutboxEvent } from './outbox-event.entity';

/** An audit event as a module describes it; the outbox adds id, time and request id. */
export type NewAuditEvent = Omit<AuditEventInput, 'eventId' | 'occurredAt' | 'requestId'>;

/** Records events inside the caller's transaction. */
export type RecordAudit = (event: NewAuditEvent) => Promise<void>;

const READ_YOUR_WRITES_WAIT_MS = 250;
const DELIVERY_TIMEOUT_MS = 1000;
const POLL_INTERVAL_MS = 500;
const MAX_BACKOFF_MS = 5000;
const KEEP_DELIVERED_MS = 7 * 24 * 3600 * 1000;
const PRUNE_INTERVAL_MS = 3600 * 1000;

/**
 * Store-and-forward delivery of a module's audit events to logging: at least once, in order,
 * with retry and backoff; logging's dedupe on eventId makes it exactly once in effect.
 *
 * Normal operation: the change and its event commit together, then the event is delivered at
 * once and the request waits (at most 250 ms) for the acknowledgement, so a client that reads
 * the log right after sees it. Only while logging is unreachable do events wait here.
 */
export class AuditOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private draining?: Promise<void>;
  private again = false;
  private lastPrune = 0;
  private timer?: NodeJS.Timeout;
  private readonly waiters = new Map<string, () => void>();

  constructor(
    readonly module: ModuleName,
    private readonly repo: Repository<OutboxEvent>,
    private readonly tx: TransactionRunner,
    private readonly logging: LoggingClient,
  ) {
    this.logger = new Logger(`AuditOutbox:${module}`);
  }

  /**
   * Runs `work` in one write transaction; every event it records commits with it and is
   * delivered right after.
   */
  async write<T>(work: (manager: EntityManager, audit: RecordAudit) => Promise<T>): Promise<T> {
    const eventIds: string[] = [];
    const result = await this.tx.run((manager) =>
      work(manager, async (event) => {
        eventIds.push(await this.add(manager, event));
      }),
    );
    if (eventIds.length > 0) await this.deliverSoon(eventIds);
    return result;
  }

  /** Pending (undelivered) events, oldest first. */
  pending(): Promise<OutboxEvent[]> {
    return this.repo.find({ where: { deliveredAt: IsNull() }, order: { seq: 'ASC' } });
  }

  onApplicationBootstrap(): void {
    // Events left by a previous run (logging down, or a crash after commit) go out now.
    this.kick(true);
    this.timer = setInterval(() => this.kick(false), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  private async add(manager: EntityManager, event: NewAuditEvent): Promise<string> {
    const full: AuditEventInput = {
      ...event,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      requestId: RequestContext.requestId(),
    };
    await manager.insert(OutboxEvent, {
      eventId: full.eventId,
      body: JSON.stringify(full),
      attempts: 0,
      nextAttemptAt: null,
      deliveredAt: null,
      lastError: null,
    });
    return full.eventId;
  }

  private async deliverSoon(eventIds: string[]): Promise<void> {
    const delivered = Promise.all(eventIds.map((id) => new Promise<void>((resolve) => this.waiters.set(id, resolve))));
    this.kick(true);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([delivered, new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_YOUR_WRITES_WAIT_MS)))]);
    clearTimeout(timer);
    for (const id of eventIds) this.waiters.delete(id);
  }

  /** Starts a drain unless one runs; `now` ignores the backoff of the oldest event. */
  private kick(now: boolean): void {
    if (this.draining) {
      this.again ||= now;
      return;
    }
    this.draining = this.drain(now)
      .catch((error: unknown) => this.logger.error({ msg: 'outbox drain failed', error: (error as Error).message }))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.kick(true);
        }
      });
  }

  private async drain(now: boolean): Promise<void> {
    for (;;) {
      const batch = await this.repo.find({ where: { deliveredAt: IsNull() }, order: { seq: 'ASC' }, take: 100 });
      if (batch.length === 0) return this.prune();
      for (const row of batch) {
        // In order: nothing overtakes an event that is waiting for its next attempt.
        if (!now && row.nextAttemptAt && new Date(row.nextAttemptAt).getTime() > Date.now()) return;
        if (!(await this.deliver(row))) return;
        now = true;
      }
    }
  }

  private async deliver(row: OutboxEvent): Promise<boolean> {
    try {
      await this.logging.record(JSON.parse(row.body) as AuditEventInput, DELIVERY_TIMEOUT_MS);
    } catch (error) {
      const attempts = row.attempts + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempts);
      await this.tx.run((m) =>
        m.update(OutboxEvent, { seq: row.seq }, { attempts, nextAttemptAt: new Date(Date.now() + backoff), lastError: String((error as Error).message).slice(0, 500) }),
      );
      if (attempts === 1 || attempts % 20 === 0) {
        this.logger.warn({ msg: `audit event waits in the outbox: ${(error as Error).message}`, eventId: row.eventId, attempts });
      }
      return false;
    }
    await this.tx.run((m) => m.update(OutboxEvent, { seq: row.seq }, { attempts: row.attempts + 1, deliveredAt: new Date(), lastError: null }));
    this.waiters.get(row.eventId)?.();
    return true;
  }

  /** Delivered events are kept a week for inspection, then dropped (checked hourly). */
  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = Date.now();
    const cutoff = new Date(Date.now() - KEEP_DELIVERED_MS);
    await this.tx.run((m) => m.delete(OutboxEvent, { deliveredAt: LessThan(cutoff) }));
  }
}
