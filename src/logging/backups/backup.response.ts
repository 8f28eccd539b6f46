import { ApiProperty } from '@nestjs/swagger';

export class StoredBackupResponse {
  @ApiProperty({ example: 'mfm-backup-20261206T030000Z.tar.gz' })
  name!: string;

  @ApiProperty({ example: 102_323 })
  bytes!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class BackupJobResponse {
  @ApiProperty({
    enum: ['idle', 'running', 'done', 'failed'],
    description: 'idle: no backup since the start; running; done (see backup); failed (see error)',
  })
  state!: 'idle' | 'running' | 'done' | 'failed';

  @ApiProperty({ enum: ['schedule', 'employee'], nullable: true, type: String })
  trigger!: 'schedule' | 'employee' | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ type: StoredBackupResponse, nullable: true })
  backup!: StoredBackupResponse | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last backup failed' })
  error!: string | null;
}

export class BackupListResponse {
  @ApiProperty({ type: [StoredBackupResponse], description: 'Verified backups, newest first' })
  items!: StoredBackupResponse[];

  @ApiProperty({ type: BackupJobResponse })
  job!: BackupJobResponse;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '0 3 * * *',
    description: 'BACKUP_SCHEDULE; null: the store backs up only when asked',
  })
  schedule!: string | null;

  @ApiProperty({ example: 7, description: 'How many backups the folder keeps (BACKUP_KEEP)' })
  keep!: number;

  @ApiProperty({
    description: 'The sealed keys are in each backup (BACKUP_PASSPHRASE is set)',
  })
  keysIncluded!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Set when the newest backup is older than twice the schedule (or there is none yet)',
  })
  warning!: string | null;
}
