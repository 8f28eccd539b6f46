import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { BackupRefused } from './backup-archive';

export type PostgresTool = 'pg_dump' | 'pg_restore';

/** Where Debian installs each PostgreSQL version's programs: `<dir>/<version>/bin`. */
const VERSIONS_DIR = '/usr/lib/postgresql';

/** A server that does not answer fails the backup in seconds rather than at TCP's own timeout. */
const CONNECT_TIMEOUT_S = 10;

/** Enough of a tool's stderr for its first lines; the rest is not read. */
const STDERR_LIMIT = 64 * 1024;

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * The program `name` of the PostgreSQL client: the one on PATH (what the operator chose), else
 * the newest version Debian installed beside the server (a pg_dump refuses a server newer than
 * itself). `search` is for tests.
 */
export function postgresTool(
  name: PostgresTool,
  search: { path?: string; versionsDir?: string } = {},
): string {
  const path = search.path ?? process.env.PATH ?? '';
  for (const dir of path.split(delimiter).filter(Boolean))
    if (isExecutable(join(dir, name))) return join(dir, name);
  const versionsDir = search.versionsDir ?? VERSIONS_DIR;
  const versions = existsSync(versionsDir)
    ? readdirSync(versionsDir)
        .filter((version) => /^\d+(\.\d+)?$/.test(version))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    : [];
  for (const version of versions)
    if (isExecutable(join(versionsDir, version, 'bin', name)))
      return join(versionsDir, version, 'bin', name);
  throw new BackupRefused(
    `${name} not found on PATH nor in ${versionsDir}/*/bin: install the PostgreSQL client (Debian: apt-get install postgresql-client)`,
  );
}

/** A PostgreSQL URL taken apart so that the password is never an argument nor in a message. */
interface Target {
  /** `host:port/database`: never the user or the password. */
  where: string;
  /** The URL without its password, for `--dbname` (libpq reads URLs there). */
  dbname: string;
  /** For PGPASSWORD (the environment, which other users cannot read). */
  password?: string;
  /** The password as it may appear in a message: percent-encoded and decoded. */
  secrets: string[];
}

function target(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: it may hold a password.
    throw new BackupRefused('the database URL is not a postgres://user:password@host/database URL');
  }
  // libpq also takes the password as a query parameter.
  const password = parsed.password
    ? decodeURIComponent(parsed.password)
    : (parsed.searchParams.get('password') ?? undefined);
  const secrets = [parsed.password, parsed.searchParams.get('password') ?? '', password ?? ''];
  parsed.password = '';
  parsed.searchParams.delete('password');
  return {
    where: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`,
    dbname: parsed.href,
    password,
    secrets: [...new Set(secrets.filter(Boolean))],
  };
}

/** A line that may quote the URL, with the password masked. */
const hide = (line: string, { secrets }: Target): string =>
  secrets.reduce((text, secret) => text.split(secret).join('***'), line);

/**
 * The line of a tool's stderr that says what went wrong: its first `error:` line (pg_restore
 * first says where in the archive it was), else its first line.
 */
function firstError(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /\berror:/i.test(line)) ?? lines[0];
}

/**
 * Runs a PostgreSQL client program against `to`: arguments as an array (no shell), the password
 * in its environment. Resolves when it succeeded; else refuses with `doing`, the database and the
 * program's own reason, on one line.
 */
async function runTool(
  name: PostgresTool,
  args: string[],
  to: Target,
  doing: string,
): Promise<void> {
  const program = postgresTool(name);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? String(CONNECT_TIMEOUT_S),
    ...(to.password !== undefined && { PGPASSWORD: to.password }),
  };
  const outcome = await new Promise<{ code: number | null; signal: string | null; stderr: string }>(
    (done, fail) => {
      const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < STDERR_LIMIT) stderr += chunk;
      });
      child.on('error', fail);
      child.on('close', (code, signal) => done({ code, signal, stderr }));
    },
  ).catch((error: Error) => {
    throw new BackupRefused(`${doing} ${to.where}: ${program} could not start (${error.message})`);
  });
  if (outcome.code === 0) return;
  const why =
    firstError(outcome.stderr) ??
    (outcome.signal
      ? `${name} was stopped (${outcome.signal})`
      : `${name} exited with ${outcome.code}`);
  throw new BackupRefused(`${doing} ${to.where}: ${hide(why, to)}`);
}

/**
 * Dumps the database at `url` into `out` in pg_dump's custom format (compressed; pg_restore reads
 * it table by table). The dump is a consistent snapshot while the store writes: pg_dump reads
 * everything in one REPEATABLE READ transaction. Owners and grants are left out, so the dump
 * restores under whichever role the new server gives the store. `out` appears only once complete.
 * Tables in `withoutDataOf` keep their definition and lose their rows (read models rebuilt at start).
 */
export async function dumpPostgres(
  url: string,
  out: string,
  options: { withoutDataOf?: readonly string[] } = {},
): Promise<void> {
  const to = target(url);
  mkdirSync(dirname(out), { recursive: true });
  const partial = join(dirname(out), `.${basename(out)}.partial`);
  try {
    await runTool(
      'pg_dump',
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--file=${partial}`,
        ...(options.withoutDataOf ?? []).map((table) => `--exclude-table-data=${table}`),
        `--dbname=${to.dbname}`,
      ],
      to,
      'cannot back up',
    );
    renameSync(partial, out);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Runs `work` on one connection to `url`; any failure is one line naming the database. */
async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const to = target(url);
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_S * 1000,
  });
  try {
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  } catch (error) {
    const message = (error as { message?: unknown }).message;
    const why = (typeof message === 'string' ? message : String(error)).split('\n')[0];
    throw new BackupRefused(`cannot read ${to.where}: ${hide(why, to)}`);
  }
}

/** The migrations the database has run, oldest first, from TypeORM's own table (none: []). */
export async function postgresMigrations(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    // Resolved as TypeORM resolves it: the first schema of the search path.
    const table = await client.query<{ present: boolean }>(
      "SELECT to_regclass('migrations') IS NOT NULL AS present",
    );
    if (!table.rows[0]?.present) return [];
    const rows = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    return rows.rows.map((row) => row.name);
  });
}

/**
 * Whether schema `public` holds no relation at all (table, view, sequence…): anything there
 * would collide with what a restore creates. Read from the catalogue, which shows every relation
 * whatever the role may read (information_schema shows only those).
 */
export async function isEmptyDatabase(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    const result = await client.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (
         SELECT 1 FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       ) AS empty`,
    );
    return result.rows[0]?.empty === true;
  });
}

/**
 * Restores a dump of `dumpPostgres` into the empty database at `url`, for a store to start on
 * (it migrates an older schema forward). Into an empty database only: merging into live data
 * would be neither the backup nor the data. One transaction, stopped at the first error: a
 * refusal leaves the database as it was.
 */
export async function restorePostgres(file: string, url: string): Promise<void> {
  const to = target(url);
  if (!existsSync(file)) throw new BackupRefused(`${file}: no such backup`);
  if (!(await isEmptyDatabase(url)))
    throw new BackupRefused(
      `${to.where} is not empty: restore into a new, empty database (createdb --locale=C …), then point the module's DATABASE_URL at it`,
    );
  await runTool(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${to.dbname}`,
      // Absolute: a file named like an option stays a file.
      resolve(file),
    ],
    to,
    `cannot restore ${file} into`,
  );
}
