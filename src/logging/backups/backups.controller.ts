import { createReadStream, statSync } from 'node:fs';
import { Controller, Get, HttpCode, Inject, Param, Post, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { LoggingErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser } from '@mfm/platform/auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { LoggingLimits } from '../rate-limits';
import { BackupSchedule } from './backup-schedule.service';
import { BackupJobResponse, BackupListResponse } from './backup.response';
import { BackupsService } from './backups.service';

@ApiTags('backups')
@Controller('api/backups')
export class BackupsController {
  constructor(
    private readonly backups: BackupsService,
    private readonly schedule: BackupSchedule,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Auth('employee')
  @RateLimit(LoggingLimits.backups)
  @HttpCode(202)
  @ApiOperation({
    operationId: 'startBackup',
    summary: "Back up the store's databases now",
    description:
      'The backup runs in the background: the answer is the job (already running if one was). ' +
      'Follow it with GET /api/backups; it is listed once written and verified. Audited.',
  })
  @ApiAcceptedResponse({ type: BackupJobResponse })
  start(@CurrentUser() caller: VerifiedUser): BackupJobResponse {
    return this.backups.start('employee', { userId: caller.userId, username: caller.username }).job;
  }

  @Get()
  @Auth('employee')
  @ApiOperation({
    operationId: 'listBackups',
    summary: 'The verified backups, newest first, the running or last backup, and the schedule',
  })
  @ApiOkResponse({ type: BackupListResponse })
  list(): BackupListResponse {
    return {
      items: this.backups.list(),
      job: this.backups.job,
      schedule: this.config.backup.schedule ?? null,
      keep: this.config.backup.keep,
      keysIncluded: Boolean(this.config.backup.passphrase),
      warning: this.schedule.warning(),
    };
  }

  @Get(':name')
  @Auth('employee')
  @RateLimit(LoggingLimits.backups)
  @ApiOperation({
    operationId: 'downloadBackup',
    summary: 'Download one backup (a .tar.gz archive; restore it with `restore <file>`)',
    description: 'Audited: who downloaded which backup.',
  })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrors(LoggingErrors.BACKUP_NOT_FOUND)
  async download(
    @Param('name') name: string,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<StreamableFile> {
    const file = this.backups.fileOf(name);
    if (!file) throw LoggingErrors.BACKUP_NOT_FOUND.error({ name: name.slice(0, 80) });
    await this.backups.recordDownload(name, { userId: caller.userId, username: caller.username });
    return new StreamableFile(createReadStream(file), {
      type: 'application/gzip',
      disposition: `attachment; filename="${name}"`,
      length: statSync(file).size,
    });
  }
}
