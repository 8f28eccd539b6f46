import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RpcClient } from '../rpc/rpc-client';
import type { ModuleName } from '../topology/module-names';
import {
  SnapshotChunkReply,
  SnapshotReply,
  snapshotChunkPattern,
  snapshotPattern,
} from './snapshot.controller';
import { BackupRefused } from './backup-archive';
import type { SnapshotSource } from './store-backup';

const messageOf = (error: unknown): string => {
  const response = (error as { getResponse?: () => unknown }).getResponse?.();
  const message = (response as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : (error as Error).message;
};

/** A large database takes a while to copy; the chunks then come one frame at a time. */
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;
const CHUNK_TIMEOUT_MS = 60_000;

/**
 * Snapshots taken by the process that hosts each module and fetched over the bus (in one process,
 * the in-process transport): one archive from modules on any machine. `clientOf` gives the client
 * of a module, calling as the module that keeps the backups.
 */
export const busSnapshot =
  (clientOf: (module: ModuleName) => RpcClient): SnapshotSource =>
  async ({ module }, dir) => {
    const client = clientOf(module);
    // A module that does not answer, or refuses: one line naming it.
    const ask = <T>(pattern: string, payload: object, options: object) =>
      client.send<T>(pattern, payload, options).catch((error: unknown) => {
        throw new BackupRefused(`${module} did not hand over its snapshot: ${messageOf(error)}`);
      });
    const taken = await ask<SnapshotReply>(
      snapshotPattern(module),
      {},
      { idempotent: false, timeoutMs: SNAPSHOT_TIMEOUT_MS },
    );
    const file = join(dir, `${module}.${taken.engine === 'postgres' ? 'pgdump' : 'sqlite'}`);
    writeFileSync(file, '');
    for (let offset = 0, done = false; !done;) {
      const chunk = await ask<SnapshotChunkReply>(
        snapshotChunkPattern(module),
        { id: taken.id, offset },
        { idempotent: true, timeoutMs: CHUNK_TIMEOUT_MS },
      );
      const bytes = Buffer.from(chunk.data, 'base64');
      appendFileSync(file, bytes);
      offset += bytes.length;
      done = chunk.done;
    }
    if (statSync(file).size !== taken.bytes)
      throw new BackupRefused(
        `${module}'s snapshot arrived incomplete (${statSync(file).size} of ${taken.bytes} bytes)`,
      );
    return { file, takenAt: taken.takenAt, postgresMigrations: taken.postgresMigrations };
  };
