'use strict';
/**
 * The practical limit of each read scenario: a bare Fastify server (no NestJS, no ORM, no auth, no
 * audit, no caches) running the same SQL as the store, with better-sqlite3 prepared statements, on
 * the same database files while the store runs. Usage: node bench/baseline/server.js <dataDir> <port>
 *
 * - GET /api/products/:id: the store's cached SELECT by id.
 * - GET /api/products?category=&sort=&order=&page=: the catalogue page as the store reads it (an
 *   index per sort; the rating sort reads rated products, then unrated ones), and its count, on
 *   every request (the store keeps the count until the catalogue changes).
 * - GET /api/search?q=&category=&sort=&page=: the search's page and facet queries.
 * - GET /api/logs?username=: one user's events, newest first, and their count.
 */
const Database = require('better-sqlite3');
const Fastify = require('fastify');
const { join } = require('node:path');

const [dataDir, port] = process.argv.slice(2);
const open = (name) => {
  const db = new Database(join(dataDir, `${name}.sqlite`), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
};
const products = open('products');
const search = open('search');
const logging = open('logging');

const COLUMNS = `"id", "name", "nameKey", "description", "category", "priceCents", "stock", "archived",
  "version", "revision", "ratingAverage", "ratingCount", "createdAt", "updatedAt"`;

// ---------------------------------------------------------------- product by id

const productById = products.prepare(
  `SELECT ${COLUMNS} FROM "product" WHERE "id" = ? AND "archived" = 0 LIMIT 1`,
);

const toProduct = (row) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  category: row.category,
  priceCents: row.priceCents,
  stock: row.stock,
  inStock: row.stock > 0,
  version: row.version,
  ratingAverage: row.ratingAverage,
  ratingCount: row.ratingCount,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

// ---------------------------------------------------------------- catalogue page

const SORT_COLUMNS = {
  name: 'nameKey',
  price: 'priceCents',
  updatedAt: 'updatedAt',
  rating: 'ratingAverage',
};
const statements = new Map();
const prepared = (db, sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
};

function cataloguePage(query) {
  const sort = SORT_COLUMNS[query.sort] ? query.sort : 'name';
  const dir = query.order === 'desc' ? 'DESC' : 'ASC';
  const limit = Number(query.limit ?? 20);
  const offset = (Number(query.page ?? 1) - 1) * limit;
  const where = query.category ? '"archived" = 0 AND "category" = ?' : '"archived" = 0';
  const params = query.category ? [query.category] : [];
  const counts = prepared(
    products,
    `SELECT COUNT(*) AS total, COUNT("ratingAverage") AS rated FROM "product" WHERE ${where}`,
  ).get(...params);
  const page = (extra, order, skip, take) =>
    prepared(
      products,
      `SELECT ${COLUMNS} FROM "product" WHERE ${where}${extra} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(...params, take, skip);
  let rows;
  if (sort !== 'rating') {
    rows = page('', `"${SORT_COLUMNS[sort]}" ${dir}, "id" ${dir}`, offset, limit);
  } else {
    rows = [];
    if (offset < counts.rated)
      rows = page(
        ' AND "ratingAverage" IS NOT NULL',
        `"ratingAverage" ${dir}, "id" ${dir}`,
        offset,
        limit,
      );
    if (rows.length < limit)
      rows.push(
        ...page(
          ' AND "ratingAverage" IS NULL',
          `"id" ${dir}`,
          Math.max(0, offset - counts.rated),
          limit - rows.length,
        ),
      );
  }
  return { items: rows.map(toProduct), total: counts.total, page: offset / limit + 1, limit };
}

// ---------------------------------------------------------------- search (as src/search)

const RANK = 'bm25(search_fts, 10.0, 4.0, 1.0)';
const ORDER = {
  relevance: 'score DESC, p.nameKey ASC',
  price_asc: 'p.priceCents ASC, p.nameKey ASC',
  price_desc: 'p.priceCents DESC, p.nameKey ASC',
  name: 'p.nameKey ASC, p.id ASC',
  newest: 'p.createdAt DESC, p.id ASC',
  rating: '(p.ratingCount = 0) ASC, p.ratingAverage DESC, p.ratingCount DESC, p.nameKey ASC',
};

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

function searchPage(query) {
  const q = String(query.q ?? '');
  const limit = Number(query.limit ?? 20);
  const page = Number(query.page ?? 1);
  const match = q.trim() !== '' ? toFtsQuery(q) : undefined;
  if (match === null) return { items: [], total: 0, page, limit, facets: [] };
  const from = match
    ? 'FROM search_fts JOIN search_product p ON p.docId = search_fts.rowid'
    : 'FROM search_product p';
  const base = match ? ['search_fts MATCH ?', 'p.archived = 0'] : ['p.archived = 0'];
  const baseParams = match ? [match] : [];
  const withCategory = query.category ? [...base, 'p.category = ?'] : base;
  const params = query.category ? [...baseParams, query.category] : baseParams;
  const asked = ORDER[query.sort] ? query.sort : 'relevance';
  const sort = asked === 'relevance' && !match ? 'name' : asked;
  const score = match ? `-${RANK}` : '0';
  const items = prepared(
    search,
    `SELECT p.id, p.name, p.category, p.priceCents, p.stock, p.ratingAverage, p.ratingCount, ${score} AS score
     ${from} WHERE ${withCategory.join(' AND ')} ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`,
  ).all(...params, limit, (page - 1) * limit);
  const facets = prepared(
    search,
    `SELECT p.category AS category, COUNT(*) AS count ${from} WHERE ${base.join(' AND ')}
     GROUP BY p.category ORDER BY count DESC, category ASC`,
  ).all(...baseParams);
  const total = query.category
    ? (facets.find((f) => f.category === query.category)?.count ?? 0)
    : facets.reduce((sum, f) => sum + f.count, 0);
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
}

// ---------------------------------------------------------------- audit log of one user

const auditPage = logging.prepare(
  `SELECT * FROM audit_event WHERE LOWER(actorUsername) = LOWER(?)
   ORDER BY occurredAt DESC, seq DESC LIMIT ? OFFSET ?`,
);
const auditCount = logging.prepare(
  'SELECT COUNT(*) AS total FROM audit_event WHERE LOWER(actorUsername) = LOWER(?)',
);

function logsPage(query) {
  const limit = Number(query.limit ?? 50);
  const page = Number(query.page ?? 1);
  const username = String(query.username ?? '');
  const { total } = auditCount.get(username);
  const items = auditPage.all(username, limit, (page - 1) * limit).map((row) => ({
    eventId: row.eventId,
    type: row.type,
    actor: row.actorUserId ? { userId: row.actorUserId, username: row.actorUsername } : null,
    subject: { kind: row.subjectKind, id: row.subjectId, name: row.subjectName },
    occurredAt: row.occurredAt,
    requestId: row.requestId,
    payload: row.payload ? JSON.parse(row.payload) : null,
  }));
  return { items, total, page, limit };
}

// ---------------------------------------------------------------- routes

const app = Fastify({ logger: false });

app.get('/api/products/:id', async (request, reply) => {
  const row = productById.get(request.params.id);
  if (!row) return reply.code(404).send({ statusCode: 404, error: 'Not Found' });
  return toProduct(row);
});
app.get('/api/products', async (request) => cataloguePage(request.query));
app.get('/api/search', async (request) => searchPage(request.query));
app.get('/api/logs', async (request) => logsPage(request.query));
app.get('/health', async () => ({ status: 'ok' }));

app.listen({ host: '127.0.0.1', port: Number(port) }).catch((error) => {
  console.error(error);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => app.close().then(() => process.exit(0)));
