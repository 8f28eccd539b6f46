import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { In } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { AuditEvent } from './entities/audit-event.entity';

const PRUNE_INTERVAL_MS = 3600 * 1000;
/** Small batches keep each delete transaction short, so other writes never wait long. */
const BATCH = 1000;
const DAY_MS = 86_400_000;

/**
 * Drops audit events older than their type's retention (AUDIT_RETENTION_DAYS), in the background:
 * at start, then hourly. Types without a retention are kept forever.
 */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditRetentionService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(transactionRunnerToken('logging')) private readonly tx: TransactionRunner,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running ??= this.prune()
        .catch((error: unknown) => {
          this.logger.warn({
            msg: 'pruning old audit events failed',
            error: (error as Error).message,
          });
          return 0;
        })
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past its retention; returns how many events went. */
  async prune(now = new Date()): Promise<number> {
    let removed = 0;
    for (const [type, days] of Object.entries(this.config.audit.retentionDays)) {
      if (days <= 0) continue;
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      for (;;) {
        const deleted = await this.tx.run(async (manager) => {
          const batch = await manager
            .createQueryBuilder(AuditEvent, 'e')
            .select('e.seq', 'seq')
            .where('e.type = :type AND e.occurredAt < :cutoff', { type, cutoff })
            .orderBy('e.seq', 'ASC')
            .limit(BATCH)
            .getRawMany<{ seq: number }>();
          if (batch.length === 0) return 0;
          await manager.delete(AuditEvent, { seq: In(batch.map((row) => row.seq)) });
          return batch.length;
        });
        removed += deleted;
        if (deleted < BATCH) break;
      }
    }
    if (removed > 0) this.logger.log({ msg: 'pruned audit events past their retention', removed });
    return removed;
  }
}
