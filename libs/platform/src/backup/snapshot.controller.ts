import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Inject, OnApplicationShutdown, Type } from '@nestjs/common';
import { IsInt, IsUUID, Min } from 'class-validator';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { batchBudget } from '../rpc/frame-budget';
import { RpcHandler } from '../rpc/rpc-handler.decorator';
import { RpcPayload } from '../rpc/rpc-payload.decorator';
import type { ModuleName } from '../topology/module-names';
import { AppError } from '../errors/error-body';
import { BackupRefused } from './backup-archive';
import { BACKUP_PLAN_TOKEN, ModuleBackupPlan, localSnapshot } from './store-backup';

/** The platform's backup messages each module answers; only logging (the backups) sends them. */
export const snapshotPattern = (module: ModuleName): string => `${module}.backup_snapshot`;
export const snapshotChunkPattern = (module: ModuleName): string => `${module}.backup_chunk`;

/** A snapshot not read to its end within this is dropped (its reader gave up). */
const ABANDONED_AFTER_MS = 10 * 60_000;

export interface SnapshotReply {
  id: string;
  bytes: number;
  takenAt: string;
  engine: 'sqlite' | 'postgres';
  postgresMigrations?: string[];
}

export class SnapshotChunkRequest {
  @IsUUID()
  id!: string;

  @IsInt()
  @Min(0)
  offset!: number;
}

export interface SnapshotChunkReply {
  /** base64 of the bytes from `offset`. */
  data: string;
  /** The last chunk: the snapshot is dropped once it is sent. */
  done: boolean;
}

const refused = (message: string) => new AppError(409, 'BACKUP_REFUSED', message);

/**
 * `<module>.backup_snapshot` and `<module>.backup_chunk`: the process that hosts a module takes
 * its snapshot (its SQLite file or its PostgreSQL database, where only it may reach them) and
 * hands it over in chunks that fit a bus frame, so one archive can be assembled across machines.
 */
export function snapshotController(module: ModuleName): Type {
  @Controller()
  class SnapshotHandler implements OnApplicationShutdown {
    private readonly taken = new Map<
      string,
      { dir: string; file: string; timer: NodeJS.Timeout }
    >();

    constructor(
      @Inject(APP_CONFIG) private readonly config: AppConfig,
      @Inject(BACKUP_PLAN_TOKEN) private readonly plan: readonly ModuleBackupPlan[],
    ) {}

    @RpcHandler(snapshotPattern(module))
    async snapshot(): Promise<SnapshotReply> {
      const part = this.plan.find((entry) => entry.module === module);
      if (!part) throw refused(`${module} is not part of a backup`);
      const dir = mkdtempSync(join(tmpdir(), `mfm-${module}-snapshot-`));
      try {
        const taken = await localSnapshot(this.config)(part, dir);
        const id = randomUUID();
        const timer = setTimeout(() => this.drop(id), ABANDONED_AFTER_MS);
        timer.unref();
        this.taken.set(id, { dir, file: taken.file, timer });
        return {
          id,
          bytes: statSync(taken.file).size,
          takenAt: taken.takenAt,
          engine: taken.postgresMigrations ? 'postgres' : 'sqlite',
          ...(taken.postgresMigrations && { postgresMigrations: taken.postgresMigrations }),
        };
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        // The operator's one line travels back to the process assembling the backup.
        if (error instanceof BackupRefused) throw refused(error.message);
        throw error;
      }
    }

    @RpcHandler(snapshotChunkPattern(module))
    chunk(@RpcPayload() request: SnapshotChunkRequest): SnapshotChunkReply {
      const taken = this.taken.get(request.id);
      if (!taken) throw refused(`no snapshot ${request.id} of ${module} is waiting`);
      // base64 grows by a third: three quarters of a batch's budget stays inside a frame.
      const size = Math.floor((batchBudget(this.config) * 3) / 4);
      const buffer = Buffer.alloc(size);
      const fd = openSync(taken.file, 'r');
      let read: number;
      try {
        read = readSync(fd, buffer, 0, size, request.offset);
      } finally {
        closeSync(fd);
      }
      const done = request.offset + read >= statSync(taken.file).size;
      if (done) this.drop(request.id);
      return { data: buffer.subarray(0, read).toString('base64'), done };
    }

    onApplicationShutdown(): void {
      for (const id of [...this.taken.keys()]) this.drop(id);
    }

    private drop(id: string): void {
      const taken = this.taken.get(id);
      if (!taken) return;
      clearTimeout(taken.timer);
      rmSync(taken.dir, { recursive: true, force: true });
      this.taken.delete(id);
    }
  }
  Object.defineProperty(SnapshotHandler, 'name', { value: `${module}SnapshotHandler` });
  return SnapshotHandler;
}
