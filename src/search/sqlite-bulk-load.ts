import { EntityManager } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { documentParams } from './document-params';

/** Rows per INSERT: 14 parameters each, well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 500;

/**
 * Loads every product document into the SQLite index inside the caller's transaction, the fast
 * way: the FTS triggers are dropped for the load (each would index one row at a time), the rows go
 * in as multi-row upserts (the highest revision of a product still wins), then FTS5 rebuilds its
 * whole index from the table once, and the triggers are created again. DDL is transactional in
 * SQLite, so a failure or a crash leaves the index and its triggers as they were before.
 * `upsert` is the index's one-row upsert statement; returns the number of documents read.
 */
export async function sqliteBulkLoad(
  manager: EntityManager,
  upsert: string,
  pages: AsyncIterable<ProductDocument[]>,
  progress: (read: number) => void,
): Promise<number> {
  const triggers = await manager.query<Array<{ name: string; sql: string }>>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_product'",
  );
  for (const { name } of triggers) await manager.query(`DROP TRIGGER "${name}"`);
  const [head, tail] = splitValues(upsert);
  const statements = new Map<number, string>();
  let read = 0;
  for await (const page of pages) {
    for (let i = 0; i < page.length; i += ROWS_PER_STATEMENT) {
      const rows = page.slice(i, i + ROWS_PER_STATEMENT);
      let sql = statements.get(rows.length);
      if (!sql) {
        const tuple = `(${new Array(14).fill('?').join(', ')})`;
        sql = `${head} VALUES ${new Array(rows.length).fill(tuple).join(', ')} ${tail}`;
        statements.set(rows.length, sql);
      }
      await manager.query(
        sql,
        rows.flatMap((doc) => documentParams(doc, doc.archived ? 1 : 0)),
      );
    }
    read += page.length;
    progress(read);
  }
  await manager.query("INSERT INTO search_fts(search_fts) VALUES ('rebuild')");
  for (const { sql } of triggers) await manager.query(sql);
  return read;
}

/** The one-row upsert around its VALUES tuple: what comes before, and the ON CONFLICT part. */
function splitValues(upsert: string): [string, string] {
  const match = /^([\s\S]*?)\s+VALUES\s*\([^)]*\)\s*([\s\S]*)$/.exec(upsert);
  if (!match) throw new Error('the index upsert has no VALUES tuple');
  return [match[1], match[2]];
}
