'use strict';
/**
 * The practical limit: a bare Fastify server (no NestJS, no ORM, no auth, no audit) running the
 * same SQL as the store for product-by-id and search, with better-sqlite3 prepared statements, on
 * the same database files. Usage: node bench/baseline/server.js <dataDir> <port>
 */
const Database = require('better-sqlite3');
const Fastify = require('fastify');
const { join } = require('node:path');

const [dataDir, port] = process.argv.slice(2);
const products = new Database(join(dataDir, 'products.sqlite'), { fileMustExist: true });
const search = new Database(join(dataDir, 'search.sqlite'), { fileMustExist: true });
for (const db of [products, search]) db.pragma('busy_timeout = 5000');

// What TypeORM runs for products.findOneBy({ id, archived: false }).
const productById = products.prepare(
  `SELECT "id", "name", "nameKey", "description", "category", "priceCents", "stock", "archived",
          "version", "revision", "createdAt", "updatedAt"
   FROM "product" WHERE "id" = ? AND "archived" = 0 LIMIT 1`,
);

// The three queries of SearchIndexService.search for a text query, relevance sort, page 1.
const RANK = 'bm25(search_fts, 10.0, 4.0, 1.0)';
const FROM = 'FROM search_fts JOIN search_product p ON p.docId = search_fts.rowid';
const WHERE = 'WHERE search_fts MATCH ? AND p.archived = 0';
const searchItems = search.prepare(
  `SELECT p.id, p.name, p.category, p.priceCents, p.stock, -${RANK} AS score ${FROM} ${WHERE}
   ORDER BY score DESC, p.nameKey ASC LIMIT ? OFFSET ?`,
);
const searchTotal = search.prepare(`SELECT COUNT(*) AS total ${FROM} ${WHERE}`);
const searchFacets = search.prepare(
  `SELECT p.category AS category, COUNT(*) AS count ${FROM} ${WHERE} GROUP BY p.category ORDER BY count DESC, category ASC`,
);

// Same as src/search/fts-query.ts.
function toFtsQuery(text) {
  const terms =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) return null;
  return [...new Set(terms)]
    .slice(0, 12)
    .map((term) => `"${term}"*`)
    .join(' ');
}

const app = Fastify({ logger: false });

app.get('/api/products/:id', async (request, reply) => {
  const row = productById.get(request.params.id);
  if (!row) return reply.code(404).send({ statusCode: 404, error: 'Not Found' });
  const { nameKey, archived, revision, ...product } = row;
  void nameKey;
  void archived;
  void revision;
  return product;
});

app.get('/api/search', async (request) => {
  const q = String(request.query.q ?? '');
  const limit = Number(request.query.limit ?? 20);
  const page = Number(request.query.page ?? 1);
  const match = toFtsQuery(q);
  if (match === null) return { items: [], total: 0, page, limit, facets: [] };
  const items = searchItems.all(match, limit, (page - 1) * limit);
  const { total } = searchTotal.get(match);
  const facets = searchFacets.all(match);
  return {
    items: items.map((hit) => ({
      ...hit,
      score: Math.round(hit.score * 1000) / 1000,
      inStock: hit.stock > 0,
    })),
    total,
    page,
    limit,
    facets,
  };
});

app.get('/health', async () => ({ status: 'ok' }));

app.listen({ host: '127.0.0.1', port: Number(port) }).catch((error) => {
  console.error(error);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => app.close().then(() => process.exit(0)));
