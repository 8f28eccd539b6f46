import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * The two database engines a module can run on: SQLite (one file per module, the default) or
 * PostgreSQL (`<MODULE>_DATABASE_URL=postgres://…`). Migrations and the little raw SQL there is
 * ask these helpers instead of spelling one engine's dialect.
 */
export type Dialect = 'sqlite' | 'postgres';

type HasDriver = DataSource | EntityManager | QueryRunner;

export function dialectOf(source: HasDriver): Dialect {
  const dataSource = 'manager' in source && 'driver' in source ? source : source.connection;
  return dataSource.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** Column type of a point in time: SQLite `datetime` (UTC text), PostgreSQL `timestamp`. */
export const timestampType = (source: HasDriver): string =>
  dialectOf(source) === 'postgres' ? 'timestamp' : 'datetime';

/** Default "now" of a timestamp column. */
export const nowDefault = (source: HasDriver): string =>
  dialectOf(source) === 'postgres' ? 'now()' : "(datetime('now'))";

/** Literal of a boolean in DDL and raw SQL: SQLite stores 0/1, PostgreSQL has real booleans. */
export const booleanLiteral = (source: HasDriver, value: boolean): string =>
  dialectOf(source) === 'postgres' ? String(value) : value ? '1' : '0';

/** Positional placeholders: `?` on SQLite, `$1, $2, …` on PostgreSQL (n is 1-based). */
export const placeholder = (source: HasDriver, n: number): string =>
  dialectOf(source) === 'postgres' ? `$${n}` : '?';
