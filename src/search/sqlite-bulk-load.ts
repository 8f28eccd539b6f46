import { EntityManager } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { documentParams } from './document-params';

/** Rows per INSERT: 14 parameters each, well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 500;
/** Bytes of terms FTS5 gathers in memory before it writes them out as a segment. */
const FTS_HASH_SIZE = 16 * 1024 * 1024;

/**
 * Loads every product document into the SQLite index inside the caller's transaction, the fast
 * way: the FTS triggers and the table's secondary indexes are dropped for the load (each would be
 * kept up one row at a time), the rows go in as multi-row upserts (the highest revision of a
 * product still wins), then FTS5 rebuilds its whole index from the table once, and the triggers
 * and indexes are created again. DDL is transactional in
 * SQLite, so a failure or a crash leaves the index and its triggers as they were before.
 * `upsert` is the index's one-row upsert statement; returns the number of documents read.
 */
export async function sqliteBulkLoad(
  manager: EntityManager,
  upsert: string,
  pages: AsyncIterable<ProductDocument[]>,
  progress: (read: number) => void,
): Promise<number> {
  // Triggers and secondary indexes (not the unique ones the upsert needs) go for the load.
  const dropped = await manager.query<Array<{ type: string; name: string; sql: string }>>(
    `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'search_product'
       AND (type = 'trigger' OR (type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'))`,
  );
  for (const { type, name } of dropped)
    await manager.query(`DROP ${type === 'trigger' ? 'TRIGGER' : 'INDEX'} "${name}"`);
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
  // FTS5 flushes its in-memory terms to a new segment whenever they pass `hashsize` (1 MB by
  // default) and merges segments as they pile up; with 16 MB a rebuild of 100k products writes
  // far fewer segments, in about 40 % less time. Kept for later changes too (it is stored in the
  // index's configuration): a transaction's terms are small either way.
  await manager.query(
    `INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', ${FTS_HASH_SIZE})`,
  );
  await manager.query("INSERT INTO search_fts(search_fts) VALUES ('rebuild')");
  // An index built in one pass over the loaded table is cheaper than one kept up row by row.
  for (const { sql } of dropped) await manager.query(sql);
  return read;
}

/** The one-row upsert around its VALUES tuple: what comes before, and the ON CONFLICT part. */
function splitValues(upsert: string): [string, string] {
  const match = /^([\s\S]*?)\s+VALUES\s*\([^)]*\)\s*([\s\S]*)$/.exec(upsert);
  if (!match) throw new Error('the index upsert has no VALUES tuple');
  return [match[1], match[2]];
}
