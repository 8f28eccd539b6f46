import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AuditActor } from '@mfm/contracts/logging.contract';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import {
  BACKUP_PLAN_TOKEN,
  ModuleBackupPlan,
  backupStore,
  verifyBackup,
} from '@mfm/platform/backup/store-backup';
import { busSnapshot } from '@mfm/platform/backup/bus-snapshot';
import { appVersion } from '@mfm/platform/health/app-version';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import type { ModuleName } from '@mfm/platform/topology/module-names';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { AuditLogService } from '../audit-log.service';

/** The names this store gives its backups, and the only names it serves for download. */
export const BACKUP_NAME = /^mfm-backup-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$/;

/** A backup in BACKUP_DIR (only verified ones are kept under such a name). */
export interface StoredBackup {
  name: string;
  bytes: number;
  createdAt: string;
}

/** The running backup, or how the last one since this start ended. */
export interface BackupJob {
  state: 'idle' | 'running' | 'done' | 'failed';
  trigger: 'schedule' | 'employee' | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The backup written (done). */
  backup: StoredBackup | null;
  /** Why it failed (failed). */
  error: string | null;
}

const IDLE: BackupJob = {
  state: 'idle',
  trigger: null,
  startedAt: null,
  finishedAt: null,
  backup: null,
  error: null,
};

/** `20261206T170217Z` from an instant. */
const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * The store's own backups, in BACKUP_DIR, assembled from snapshots each module's process takes of
 * its own database (over the bus: the modules may run on other machines): one at a time, each verified before it is listed (the
 * archive opens, its checksums match, every database passes its integrity check), the oldest
 * removed beyond BACKUP_KEEP. Started by the schedule or by an employee; each is audited.
 */
@Injectable()
export class BackupsService implements OnApplicationShutdown {
  private readonly logger = new Logger(BackupsService.name);
  private current: BackupJob = IDLE;
  private running?: Promise<BackupJob>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BACKUP_PLAN_TOKEN) private readonly plan: readonly ModuleBackupPlan[],
    private readonly audit: AuditLogService,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  get job(): BackupJob {
    return { ...this.current };
  }

  /** A backup under way finishes (or fails) before the process ends: no half-written file stays. */
  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  /** Starts a backup unless one is running; either way answers the job at once. */
  start(
    trigger: 'schedule' | 'employee',
    actor?: AuditActor,
  ): { job: BackupJob; done: Promise<BackupJob> } {
    if (this.running) return { job: this.job, done: this.running };
    const startedAt = new Date();
    this.current = { ...IDLE, state: 'running', trigger, startedAt: startedAt.toISOString() };
    this.running = this.write(startedAt)
      .then(
        (backup): BackupJob => ({ ...this.current, state: 'done', backup }),
        (error: unknown): BackupJob => ({
          ...this.current,
          state: 'failed',
          error: (error as Error).message,
        }),
      )
      .then(async (job) => {
        this.current = { ...job, finishedAt: new Date().toISOString() };
        this.metrics?.backups.inc({ outcome: job.state === 'done' ? 'ok' : 'failed', trigger });
        if (job.backup) {
          this.metrics?.backupLastSuccess.set(Date.parse(job.backup.createdAt) / 1000);
          this.metrics?.backupLastSize.set(job.backup.bytes);
        } else {
          this.logger.error({ msg: 'backup failed', trigger, error: job.error });
        }
        await this.record(job, actor).catch((error: unknown) =>
          this.logger.error({ msg: 'could not audit a backup', error: (error as Error).message }),
        );
        return this.current;
      })
      .finally(() => (this.running = undefined));
    return { job: this.job, done: this.running };
  }

  /** The verified backups, newest first. */
  list(): StoredBackup[] {
    const dir = this.config.backup.dir;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      // No folder yet (no backup written), or not one it can read: nothing to list.
      return [];
    }
    return names
      .filter((name) => BACKUP_NAME.test(name))
      .map((name) => {
        const stats = statSync(join(dir, name));
        return { name, bytes: stats.size, createdAt: stats.mtime.toISOString() };
      })
      .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  }

  /** The file of a listed backup, or undefined (a name this store did not give is never a path). */
  fileOf(name: string): string | undefined {
    if (!BACKUP_NAME.test(name)) return undefined;
    const file = join(this.config.backup.dir, name);
    return existsSync(file) ? file : undefined;
  }

  /** When the last verified backup was written; null before the first. */
  lastGood(): StoredBackup | null {
    return this.list()[0] ?? null;
  }

  private async write(startedAt: Date): Promise<StoredBackup> {
    const dir = this.config.backup.dir;
    mkdirSync(dir, { recursive: true });
    let name = `mfm-backup-${stamp(startedAt)}.tar.gz`;
    for (let n = 2; existsSync(join(dir, name)); n++)
      name = `mfm-backup-${stamp(startedAt)}-${n}.tar.gz`;
    // Written and verified under a name the list ignores, then renamed: a listed backup is a good one.
    const unverified = join(dir, `.${name}.unverified`);
    try {
      // Each module's own process takes its snapshot, wherever it runs.
      const clientOf = (module: ModuleName) =>
        this.moduleRef.get<RpcClient>(rpcClientToken(module), { strict: false }).as('logging');
      await backupStore(this.config, this.plan, unverified, appVersion(), busSnapshot(clientOf));
      await verifyBackup(unverified, this.plan, this.config.backup.passphrase);
      renameSync(unverified, join(dir, name));
    } finally {
      rmSync(unverified, { force: true });
    }
    this.prune();
    const stats = statSync(join(dir, name));
    return { name, bytes: stats.size, createdAt: stats.mtime.toISOString() };
  }

  /** Keeps the newest BACKUP_KEEP backups. */
  private prune(): void {
    for (const old of this.list().slice(this.config.backup.keep))
      rmSync(join(this.config.backup.dir, old.name), { force: true });
  }

  /** Who took a copy of the whole store's data, and which. */
  async recordDownload(name: string, actor: AuditActor): Promise<void> {
    await this.audit.record({
      eventId: randomUUID(),
      type: 'backup_downloaded',
      actor,
      subject: { kind: 'backup', id: name, name },
      occurredAt: new Date().toISOString(),
    });
  }

  private async record(job: BackupJob, actor: AuditActor | undefined): Promise<void> {
    await this.audit.record({
      eventId: randomUUID(),
      type: job.state === 'done' ? 'backup_created' : 'backup_failed',
      actor,
      subject: { kind: 'backup', id: job.backup?.name ?? 'backup', name: job.backup?.name },
      occurredAt: new Date().toISOString(),
      payload: {
        trigger: job.trigger,
        ...(job.backup && { bytes: job.backup.bytes }),
        ...(job.error && { error: job.error }),
      },
    });
  }
}
