/** What /ready says of the store's backups, from the process that keeps them (logging's). */
export interface BackupHealth {
  /** The newest verified backup's time, or null. */
  lastGoodAt(): string | null;
  /** Set when the newest backup is older than twice BACKUP_SCHEDULE's interval. */
  warning(): string | null;
}

export const BACKUP_HEALTH_TOKEN = 'BACKUP_HEALTH';
