import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { BackupRefused } from '@mfm/platform/backup/backup-archive';
import {
  dumpPostgres,
  isEmptyDatabase,
  postgresMigrations,
  postgresTool,
  restorePostgres,
} from '@mfm/platform/backup/postgres-dump';
import { createModuleDatabases, dropDatabases, POSTGRES_BASE } from '../support/postgres';
import { useTempDir } from '../support/temp-dir';

/**
 * The PostgreSQL half of the store's backups, against the throwaway cluster of .ci/run's run on
 * PostgreSQL (E2E_DATABASE_URL_BASE); without one there is nothing to dump.
 */
const describePostgres = POSTGRES_BASE ? describe : describe.skip;

const MIGRATIONS = ['OrdersInitial1700000000000', 'OrdersTotals1700000000001'];

async function sql<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A module's database as TypeORM leaves it: its migrations table, and a table with rows. */
async function seedModule(url: string): Promise<void> {
  await sql(
    url,
    `CREATE TABLE migrations (id SERIAL PRIMARY KEY, timestamp bigint NOT NULL, name varchar NOT NULL);
     INSERT INTO migrations (timestamp, name) VALUES
       (1700000000000, '${MIGRATIONS[0]}'), (1700000000001, '${MIGRATIONS[1]}');
     CREATE TABLE "order" (id varchar PRIMARY KEY, total integer NOT NULL, note text);
     INSERT INTO "order" (id, total, note)
       SELECT 'o' || i, i * 100, CASE WHEN i % 3 = 0 THEN NULL ELSE 'crème brûlée ' || i END
       FROM generate_series(1, 50) AS i;`,
  );
}

const ordersOf = (url: string) => sql(url, 'SELECT id, total, note FROM "order" ORDER BY id');

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('postgresTool', () => {
  const scratch = useTempDir('mfm-pgtool-');

  it('prefers PATH, else the newest version under the versions folder, else refuses in one line', () => {
    const program = (file: string) => {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o755);
    };
    const versionsDir = join(scratch(), 'postgresql');
    program(join(versionsDir, '9.6', 'bin', 'pg_dump'));
    program(join(versionsDir, '15', 'bin', 'pg_dump'));
    mkdirSync(join(versionsDir, '17', 'bin'), { recursive: true }); // no client in it
    const onPath = join(scratch(), 'bin', 'pg_dump');
    program(onPath);
    const empty = join(scratch(), 'empty');
    mkdirSync(empty, { recursive: true });

    expect(postgresTool('pg_dump', { path: join(scratch(), 'bin'), versionsDir })).toBe(onPath);
    expect(postgresTool('pg_dump', { path: empty, versionsDir })).toBe(
      join(versionsDir, '15', 'bin', 'pg_dump'),
    );
    const absent = () => postgresTool('pg_restore', { path: empty, versionsDir });
    expect(absent).toThrow(BackupRefused);
    expect(absent).toThrow(
      /^pg_restore not found .*install the PostgreSQL client .*postgresql-client/,
    );
    expect(() => absent()).not.toThrow(/\n/);
  });
});

describePostgres('PostgreSQL backups: pg_dump and pg_restore', () => {
  const scratch = useTempDir('mfm-pgdump-');
  const databases: string[] = [];

  /** A fresh, empty database (as the store's test run creates them); dropped after the suite. */
  const freshDatabase = async (): Promise<string> => {
    const { env, names } = await createModuleDatabases(['backup']);
    databases.push(...names);
    return env.BACKUP_DATABASE_URL;
  };

  afterAll(async () => {
    await dropDatabases(databases);
  });

  it('restores a dump into a fresh database with the same rows and migrations', async () => {
    const source = await freshDatabase();
    await seedModule(source);
    const file = join(scratch(), 'orders.pgdump');

    await dumpPostgres(source, file);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(scratch(), '.orders.pgdump.partial'))).toBe(false);

    const target = await freshDatabase();
    expect(await isEmptyDatabase(target)).toBe(true);
    await restorePostgres(file, target);

    expect(await isEmptyDatabase(target)).toBe(false);
    expect(await postgresMigrations(target)).toEqual(MIGRATIONS);
    const restored = await ordersOf(target);
    expect(restored).toHaveLength(50);
    expect(restored).toEqual(await ordersOf(source));
    // The sequences came along: the next migration TypeORM records follows the last one.
    const [next] = await sql<{ id: number }>(
      target,
      "INSERT INTO migrations (timestamp, name) VALUES (1700000000002, 'Next1700000000002') RETURNING id",
    );
    expect(next.id).toBe(3);
  });

  it('refuses to restore into a database that is not empty, and changes nothing there', async () => {
    const source = await freshDatabase();
    await seedModule(source);
    const file = join(scratch(), 'refused.pgdump');
    await dumpPostgres(source, file);

    const occupied = await freshDatabase();
    await sql(
      occupied,
      'CREATE TABLE shelf (id integer PRIMARY KEY); INSERT INTO shelf VALUES (7)',
    );
    const where = occupied.replace(/^postgres:\/\/[^@]*@/, '');

    const restore = restorePostgres(file, occupied);
    await expect(restore).rejects.toThrow(BackupRefused);
    await expect(restore).rejects.toThrow(
      `${where} is not empty: restore into a new, empty database (createdb --locale=C …)`,
    );
    expect(await sql(occupied, 'SELECT id FROM shelf')).toEqual([{ id: 7 }]);
    expect(await postgresMigrations(occupied)).toEqual([]);
    expect(await sql(occupied, 'SELECT to_regclass(\'"order"\') IS NULL AS absent')).toEqual([
      { absent: true },
    ]);
  });

  it("refuses a file that is not a dump with pg_restore's reason, leaving the database empty", async () => {
    const file = join(scratch(), 'not-a-dump');
    writeFileSync(file, 'these are not the rows you are looking for\n');
    const target = await freshDatabase();

    const restore = restorePostgres(file, target);
    await expect(restore).rejects.toThrow(BackupRefused);
    await expect(restore).rejects.toThrow(
      /^cannot restore .* into 127\.0\.0\.1:\d+\/\S+: pg_restore: error: /,
    );
    expect(await isEmptyDatabase(target)).toBe(true);
  });

  it('reads no migrations from an empty database', async () => {
    const empty = await freshDatabase();
    expect(await postgresMigrations(empty)).toEqual([]);
    expect(await isEmptyDatabase(empty)).toBe(true);
  });

  it('refuses to dump an unreachable server in one line, without the password', async () => {
    const password = 'hunter2-not-for-messages';
    const url = `postgres://mfm:${password}@127.0.0.1:${await closedPort()}/orders`;
    const file = join(scratch(), 'unreachable.pgdump');

    const error = (await dumpPostgres(url, file).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;

    expect(error).toBeInstanceOf(BackupRefused);
    expect(error.message).toMatch(/^cannot back up 127\.0\.0\.1:\d+\/orders: pg_dump: error: /);
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(scratch(), '.unreachable.pgdump.partial'))).toBe(false);
  });
});
