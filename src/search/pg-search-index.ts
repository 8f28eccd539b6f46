import type { DataSource, EntityManager } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { documentParams } from './document-params';
import type { SearchSort } from './dto/search.query';
import { foldText, toTsQuery } from './fts-query';
import type {
  IndexHit,
  IndexQuery,
  IndexResult,
  IndexedProduct,
  SearchIndex,
  SharedIndexState,
} from './search-index';
import { STORED_COLUMNS, toIndexed } from './stored-products';

/**
 * The search index on PostgreSQL: the same read model as on SQLite, with a weighted tsvector
 * (A name, B category, C description) under a GIN index instead of FTS5. Text is folded in
 * JavaScript (lower case, accents removed) on both sides, so "creme" finds "Crème" without the
 * `unaccent` extension; terms match as prefixes (`:*`) and rank by ts_rank_cd.
 */

// ts_rank_cd weights are {D, C, B, A}: name 1.0, category 0.4, description 0.1 (as 10:4:1 on SQLite).
const RANK = `ts_rank_cd('{0, 0.1, 0.4, 1.0}', p."document", q.query)`;
const ORDER: Record<SearchSort, string> = {
  relevance: 'score DESC, p."nameKey" ASC',
  price_asc: 'p."priceCents" ASC, p."nameKey" ASC',
  price_desc: 'p."priceCents" DESC, p."nameKey" ASC',
  name: 'p."nameKey" ASC, p."id" ASC',
  newest: 'p."createdAt" DESC, p."id" ASC',
  rating:
    '(p."ratingCount" = 0) ASC, p."ratingAverage" DESC, p."ratingCount" DESC, p."nameKey" ASC',
};

export const PG_SEARCH_DDL = [
  `CREATE TABLE search_product (
    "docId" SERIAL PRIMARY KEY,
    "id" VARCHAR(36) NOT NULL UNIQUE,
    "name" VARCHAR(100) NOT NULL,
    "nameKey" VARCHAR(100) NOT NULL,
    "description" TEXT,
    "category" VARCHAR(50) NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "createdAt" VARCHAR(30) NOT NULL,
    "updatedAt" VARCHAR(30) NOT NULL,
    "document" TSVECTOR NOT NULL
  )`,
  'CREATE INDEX "IDX_search_product_listing" ON search_product ("archived", "category", "priceCents")',
  'CREATE INDEX "IDX_search_product_name" ON search_product ("archived", "nameKey")',
  'CREATE INDEX "IDX_search_product_document" ON search_product USING GIN ("document")',
];

const UPSERT = `
  INSERT INTO search_product ("id", "name", "nameKey", "description", "category", "priceCents", "stock",
    "archived", "version", "revision", "createdAt", "updatedAt", "ratingAverage", "ratingCount", "document",
    "changeVersion")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
    setweight(to_tsvector('simple', $15), 'A') || setweight(to_tsvector('simple', $16), 'B') ||
    setweight(to_tsvector('simple', $17), 'C'),
    (SELECT "version" FROM search_index_state WHERE "id" = 1))
  ON CONFLICT ("id") DO UPDATE SET
    "name" = excluded."name", "nameKey" = excluded."nameKey", "description" = excluded."description",
    "category" = excluded."category", "priceCents" = excluded."priceCents", "stock" = excluded."stock",
    "archived" = excluded."archived", "version" = excluded."version", "revision" = excluded."revision",
    "createdAt" = excluded."createdAt", "updatedAt" = excluded."updatedAt", "document" = excluded."document",
    "ratingAverage" = excluded."ratingAverage", "ratingCount" = excluded."ratingCount",
    "changeVersion" = excluded."changeVersion"
  WHERE excluded."revision" > search_product."revision"
  RETURNING "id"`;

export class PgSearchIndex implements SearchIndex {
  constructor(private readonly db: DataSource) {}

  /** The same upserts as one change at a time: tsvector columns need no rebuild. */
  async bulkLoad(
    manager: EntityManager,
    pages: AsyncIterable<ProductDocument[]>,
    progress: (read: number) => void,
  ): Promise<number> {
    let read = 0;
    for await (const page of pages) {
      for (const doc of page) await this.upsert(manager, doc);
      progress((read += page.length));
    }
    return read;
  }

  async upsert(manager: EntityManager, doc: ProductDocument): Promise<number> {
    const rows = await manager.query<unknown[]>(UPSERT, [
      ...documentParams(doc, doc.archived),
      foldText(doc.name),
      foldText(doc.category),
      foldText(doc.description ?? ''),
    ]);
    return rows.length;
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<Array<{ n: number }>>(
      'SELECT COUNT(*)::int AS n FROM search_product',
    );
    return row.n;
  }

  /** Replicas share the index: one primary-key lookup tells whether another changed it. */
  async sharedState(): Promise<SharedIndexState | undefined> {
    const [row] = await this.db.query<Array<{ version: string; cleared: string }>>(
      'SELECT "version"::text AS version, "clearedVersion"::text AS cleared FROM search_index_state WHERE "id" = 1',
    );
    return row && { version: Number(row.version), clearedVersion: Number(row.cleared) };
  }

  async storedPage(afterId: string | undefined, limit: number): Promise<IndexedProduct[]> {
    const rows = await this.db.query<Parameters<typeof toIndexed>[0][]>(
      `SELECT ${STORED_COLUMNS} FROM search_product WHERE "id" > $1 ORDER BY "id" LIMIT $2`,
      [afterId ?? '', limit],
    );
    return rows.map(toIndexed);
  }

  async changedSince(version: number): Promise<IndexedProduct[]> {
    const rows = await this.db.query<Parameters<typeof toIndexed>[0][]>(
      `SELECT ${STORED_COLUMNS} FROM search_product WHERE "changeVersion" > $1`,
      [version],
    );
    return rows.map(toIndexed);
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    const tsQuery = query.q !== undefined && query.q.trim() !== '' ? toTsQuery(query.q) : undefined;
    if (tsQuery === null) return { items: [], total: 0, facets: [] };

    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const from = tsQuery
      ? `FROM search_product p, to_tsquery('simple', ${param(tsQuery)}) AS q(query)`
      : 'FROM search_product p';
    const base: string[] = ['p."archived" = false'];
    if (tsQuery) base.push('p."document" @@ q.query');
    if (query.minPrice !== undefined) base.push(`p."priceCents" >= ${param(query.minPrice)}`);
    if (query.maxPrice !== undefined) base.push(`p."priceCents" <= ${param(query.maxPrice)}`);
    if (query.inStock !== undefined) base.push(query.inStock ? 'p."stock" > 0' : 'p."stock" = 0');
    if (query.minRating !== undefined) base.push(`p."ratingAverage" >= ${param(query.minRating)}`);
    const baseParams = [...params];
    const withCategory = query.category
      ? [...base, `p."category" = ${param(query.category)}`]
      : base;
    const where = `WHERE ${withCategory.join(' AND ')}`;
    const whereParams = [...params];

    const sort = query.sort === 'relevance' && !tsQuery ? 'name' : query.sort;
    const score = tsQuery ? RANK : '0';
    const items = await this.db.query<IndexHit[]>(
      `SELECT p."id", p."name", p."category", p."priceCents", p."stock", p."ratingAverage", p."ratingCount", ${score}::float8 AS score
       ${from} ${where} ORDER BY ${ORDER[sort]} LIMIT ${param(query.limit)} OFFSET ${param((query.page - 1) * query.limit)}`,
      params,
    );
    const [{ total }] = await this.db.query<Array<{ total: number }>>(
      `SELECT COUNT(*)::int AS total ${from} ${where}`,
      whereParams,
    );
    const facets = await this.db.query<Array<{ category: string; count: number }>>(
      `SELECT p."category" AS category, COUNT(*)::int AS "count" ${from} WHERE ${base.join(' AND ')}
       GROUP BY p."category" ORDER BY "count" DESC, category ASC`,
      baseParams,
    );
    return {
      items: items.map((hit) => ({ ...hit, score: Math.round(hit.score * 1000) / 1000 })),
      total,
      facets,
    };
  }
}
