import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * With E2E_DATABASE_URL_BASE=postgres://user:password@127.0.0.1:PORT (set by .ci/run's second
 * e2e run), every store puts every module on its own fresh PostgreSQL database; unset, the
 * modules keep their SQLite files.
 */
export const POSTGRES_BASE = process.env.E2E_DATABASE_URL_BASE?.replace(/\/+$/, '') || undefined;

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${POSTGRES_BASE}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates one empty database per module; returns the `<MODULE>_DATABASE_URL` variables. */
export async function createModuleDatabases(modules: readonly string[]): Promise<{
  env: Record<string, string>;
  names: string[];
}> {
  if (!POSTGRES_BASE) return { env: {}, names: [] };
  const run = randomBytes(4).toString('hex');
  const names = modules.map((module) => `mfm_${run}_${module}`);
  await admin(async (client) => {
    // C collation and ctype: ordering and LOWER() behave as on SQLite (byte order, ASCII case).
    for (const name of names)
      await client.query(
        `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
  });
  const env = Object.fromEntries(
    modules.map((module, i) => [
      `${module.toUpperCase()}_DATABASE_URL`,
      `${POSTGRES_BASE}/${names[i]}`,
    ]),
  );
  return { env, names };
}

export async function dropDatabases(names: string[]): Promise<void> {
  if (!POSTGRES_BASE || names.length === 0) return;
  await admin(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
