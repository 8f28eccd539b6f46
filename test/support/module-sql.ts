import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { Module, Store } from './store';

/**
 * Runs one statement on a module's own database from outside the store, as an operator would
 * (or time would: e.g. a token's expiry moved into the past). `?` placeholders on both engines.
 */
export async function moduleSql<T = Record<string, unknown>>(
  store: Store,
  module: Module,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const url = store.databaseUrl(module);
  if (url) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      let n = 0;
      const result = await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return result.rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(store.dataDir(module), `${module}.sqlite`));
  try {
    db.pragma('busy_timeout = 5000');
    const statement = db.prepare(sql);
    return statement.reader ? (statement.all(...params) as T[]) : (statement.run(...params), []);
  } finally {
    db.close();
  }
}
