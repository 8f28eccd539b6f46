import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { CronJob, CronTime } from 'cron';
import type { BackupHealth } from '@mfm/platform/backup/backup-health';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { BackupsService } from './backups.service';

/**
 * BACKUP_SCHEDULE: the store backs itself up on a cron schedule (local time of the process). A
 * tick while a backup still runs does not start a second one.
 */
@Injectable()
export class BackupSchedule implements OnApplicationBootstrap, OnApplicationShutdown, BackupHealth {
  private readonly logger = new Logger(BackupSchedule.name);
  private job?: CronJob;
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupsService,
  ) {}

  onApplicationBootstrap(): void {
    const schedule = this.config.backup.schedule;
    if (!schedule) return;
    this.job = CronJob.from({
      cronTime: schedule,
      onTick: () => void this.backups.start('schedule').done,
      start: true,
    });
    this.logger.log({ msg: 'scheduled backups', schedule, dir: this.config.backup.dir });
  }

  onApplicationShutdown(): void {
    void this.job?.stop();
  }

  lastGoodAt(): string | null {
    return this.backups.lastGood()?.createdAt ?? null;
  }

  /**
   * Said when the newest verified backup is older than twice the schedule's interval (or there is
   * none, that long after the start); null otherwise, and always without a schedule.
   */
  warning(): string | null {
    const staleAfter = this.staleAfterMs;
    if (staleAfter === undefined) return null;
    const last = this.backups.lastGood();
    const since = last ? Date.parse(last.createdAt) : this.startedAt;
    if (Date.now() - since <= staleAfter) return null;
    return last
      ? `the newest backup (${last.name}) is older than twice BACKUP_SCHEDULE's interval`
      : `no backup has been written in twice BACKUP_SCHEDULE's interval since the start`;
  }

  /**
   * The longest a healthy schedule leaves between two backups: twice the interval between its
   * next two runs. Undefined without a schedule.
   */
  get staleAfterMs(): number | undefined {
    const schedule = this.config.backup.schedule;
    if (!schedule) return undefined;
    const [first, second] = new CronTime(schedule).sendAt(2) as unknown as Array<{
      toMillis(): number;
    }>;
    return 2 * (second.toMillis() - first.toMillis());
  }
}
