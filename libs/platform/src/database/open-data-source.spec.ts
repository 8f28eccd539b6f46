import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { StartupError, diskFullMessage, isDiskFull } from '../startup/startup-error';
import { openModuleDataSource } from './open-data-source';

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Two releases' migrations: the first creates a table, the second adds a column. */
class ShelvesInitial1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE shelf (id INTEGER PRIMARY KEY)');
  }
  async down(): Promise<void> {}
}
class ShelvesLabels1700000000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE shelf ADD COLUMN label TEXT');
  }
  async down(): Promise<void> {}
}

describe('opening a module database at start', () => {
  it('refuses a database a newer version wrote, naming what it ran, and opens one it knows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfm-newer-'));
    const open = (migrations: Array<new () => MigrationInterface>) =>
      openModuleDataSource('products', {
        type: 'better-sqlite3',
        database: join(dir, 'products.sqlite'),
        migrations,
        migrationsRun: true,
      });
    try {
      // The newer release migrates the file...
      await (await open([ShelvesInitial1700000000000, ShelvesLabels1700000000001])).destroy();
      // ...and the older one, started on it, stops with one line instead of serving it.
      const error = await open([ShelvesInitial1700000000000]).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toBe(
        'products module: its database was written by a newer version of the store (it has run ShelvesLabels1700000000001, which this version does not know). Run that version, or restore a backup made by this one.',
      );
      // The release that wrote it opens it, and so does a fresh file.
      await (await open([ShelvesInitial1700000000000, ShelvesLabels1700000000001])).destroy();
      rmSync(join(dir, 'products.sqlite'));
      await (await open([ShelvesInitial1700000000000])).destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tries an unreachable PostgreSQL a bounded number of times, one line each, then one line to act on', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const write = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    let error: unknown;
    try {
      await openModuleDataSource(
        'orders',
        { type: 'postgres', url: `postgres://mfm:Secret-Pw-9@127.0.0.1:${port}/orders` },
        3,
        10,
      );
    } catch (thrown) {
      error = thrown;
    } finally {
      write.mockRestore();
    }
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^orders module: PostgreSQL at 127.0.0.1:${port}/orders did not answer .*attempt 1 of 3`,
        ),
      ),
      expect.stringMatching(/attempt 2 of 3, next in 0.01 s\n$/),
    ]);
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^orders module: cannot reach PostgreSQL at 127.0.0.1:${port}/orders after 3 attempts \\(connect ECONNREFUSED`,
      ),
    );
    expect(message).toContain('ORDERS_DATABASE_URL');
    expect(message).not.toContain('\n');
    expect([message, ...lines].join('')).not.toContain('Secret-Pw-9');
  });

  it('knows a full disk under any wrapping, and names the module and the folder', () => {
    expect(isDiskFull({ code: 'ENOSPC' })).toBe(true);
    expect(isDiskFull({ message: 'x', driverError: { code: 'SQLITE_FULL' } })).toBe(true);
    expect(isDiskFull(new Error('wrapped', { cause: { code: 'EDQUOT' } }))).toBe(true);
    expect(isDiskFull({ code: 'SQLITE_BUSY' })).toBe(false);
    expect(diskFullMessage(['products'], '/srv/data', { code: 'SQLITE_FULL' })).toBe(
      'DATA_DIR /srv/data is full: the products module cannot write there to start (SQLITE_FULL). Free space on that disk, or set DATA_DIR to a folder on a disk with room.',
    );
  });
});
