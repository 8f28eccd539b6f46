import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { moduleDatabaseVar } from '../config/env.schema';
import { StartupError, diskFullMessage, errorCodes, isDiskFull } from '../startup/startup-error';

/** Tries to reach a PostgreSQL server at start: a server still starting gets a little time. */
export const POSTGRES_CONNECT_ATTEMPTS = 5;
export const POSTGRES_RETRY_DELAY_MS = 2000;

/** The server is not (yet) there: worth another try. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // cannot_connect_now (starting up or shutting down), too_many_connections
  '57P03',
  '53300',
]);

/** The server answered and refused: trying again changes nothing. What to do about each. */
const REFUSED: Record<string, string> = {
  '28P01': 'fix the user or password in',
  '28000': 'fix the user in, or allow this client in pg_hba.conf for,',
  '3D000': 'create the database (createdb --locale=C) or fix the name in',
};

/** `host:port/database` of a PostgreSQL URL: never the user or the password. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/** A driver's message without the password, should it ever quote the URL. */
function reason(error: unknown, url: string): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : String(error);
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  })();
  const firstLine = text.split('\n')[0];
  return password ? firstLine.split(password).join('***') : firstLine;
}

/** One line on stderr per failed attempt, before the logger is up. */
const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Opens (and migrates) a module's database. Instead of the framework's ten retries with a stack
 * trace each, a PostgreSQL server that does not answer is tried a few times with one line per
 * attempt, then the start stops with one line (a StartupError: exit 2); a full disk under the
 * SQLite file stops it the same way at once, and so does a database a newer version of the store
 * has written (its migrations would not describe it).
 */
export async function openModuleDataSource(
  module: string,
  options: DataSourceOptions,
  attempts = POSTGRES_CONNECT_ATTEMPTS,
  delayMs = POSTGRES_RETRY_DELAY_MS,
): Promise<DataSource> {
  const dataSource = await connect(module, options, attempts, delayMs);
  const unknown = await unknownMigrations(dataSource);
  if (unknown.length === 0) return dataSource;
  await dataSource.destroy();
  throw new StartupError(
    `${module} module: its database was written by a newer version of the store (it has run ${unknown.join(', ')}, which this version does not know). ` +
      'Run that version, or restore a backup made by this one.',
  );
}

/** Migrations the database has run that this build does not have (TypeORM names them so). */
async function unknownMigrations(dataSource: DataSource): Promise<string[]> {
  const known = new Set(
    dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name),
  );
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable('migrations'))) return [];
    const rows = (await runner.query('SELECT name FROM migrations ORDER BY id')) as Array<{
      name: string;
    }>;
    return rows.map((row) => row.name).filter((name) => !known.has(name));
  } finally {
    await runner.release();
  }
}

async function connect(
  module: string,
  options: DataSourceOptions,
  attempts: number,
  delayMs: number,
): Promise<DataSource> {
  if (options.type !== 'postgres') {
    try {
      return await new DataSource(options).initialize();
    } catch (error) {
      if (isDiskFull(error))
        throw new StartupError(diskFullMessage([module], dirname(String(options.database)), error));
      throw error;
    }
  }
  const url = options.url ?? '';
  const variable = moduleDatabaseVar(module);
  for (let attempt = 1; ; attempt++) {
    const dataSource = new DataSource(options);
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      const codes = errorCodes(error);
      const refused = codes.find((code) => code in REFUSED);
      if (refused)
        throw new StartupError(
          `${module} module: PostgreSQL at ${where(url)} refused the connection (${reason(error, url)}): ${REFUSED[refused]} ${variable}.`,
        );
      if (!codes.some((code) => UNREACHABLE.has(code))) throw error;
      if (attempt >= attempts)
        throw new StartupError(
          `${module} module: cannot reach PostgreSQL at ${where(url)} after ${attempts} attempts (${reason(error, url)}). ` +
            `Start the database server, or fix the host and port in ${variable}.`,
        );
      say(
        `${module} module: PostgreSQL at ${where(url)} did not answer (${reason(error, url)}); attempt ${attempt} of ${attempts}, next in ${delayMs / 1000} s`,
      );
      await sleep(delayMs);
    }
  }
}
