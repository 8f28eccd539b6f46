'use strict';
/** The peer comparison's report, in Markdown, from its JSON (bench/results/peers-latest.json). */

const fmt = (x) => (typeof x === 'number' ? x.toLocaleString('en-GB') : '–');
const side = (s) =>
  `${fmt(s.requestsPerSec)} · ${fmt(s.latencyP50Ms)} · ${fmt(s.latencyP99Ms)} · ${s.errors}/${s.wrong}`;

/** What each side runs with, and what each does per request that the other does not. */
const FAIRNESS = `## Settings and fairness

| | Store | Vendure 3.7.3 |
| --- | --- | --- |
| Process | one process, all five modules (\`node dist/main.js\`), \`NODE_ENV=test\` (demo accounts; otherwise production code paths) | one process, \`NODE_ENV=production\`, its job queue started in the server (see below) |
| HTTP | Fastify, REST | Express, Apollo GraphQL (Shop API) |
| SQLite | better-sqlite3 through TypeORM 1.x, a file per module, WAL, \`synchronous = FULL\` (every acknowledged write synced to disk), 16 MB page cache (better-sqlite3's default) | better-sqlite3 through TypeORM 0.3, one file, WAL (\`enableWAL\`), better-sqlite3's defaults otherwise: \`synchronous = NORMAL\` on a WAL database (synced at checkpoints only: cheaper commits, the last ones lost on power loss), 16 MB page cache |
| Search | its in-memory index (\`SEARCH_ENGINE=memory\`, the default: prefixes, typos, BM25-like ranking, facets in the same pass), no result cache | \`DefaultSearchPlugin\` (SQL \`LIKE\` over its search index table), no result cache |
| Logging | info, JSON lines to a file | info (\`DefaultLogger\`), to a file |
| Limits | login, search and order rate limits lifted (one client measures throughput) | none to lift |

What each does per request that the other does not:

- **Store:** verifies the bearer token (RS256, the algorithm pinned) and reads the account's role from
  the users module on every signed-in request; writes an audit event for
  every order (delivered to the log through the outbox); computes each line's tax from its category's rate; answers
  read-your-writes (an order is confirmed, stock reserved, before the 201).
- **Vendure:** resolves the session token from its session table on every signed-in request (cached);
  runs its order process (state machine, promotions, tax and shipping calculation on each change,
  stock allocation on payment) across eight requests; queues a search-index update job for each
  stock movement and runs it in the same process.
- **Orders:** the store's order is one request; Vendure's is the whole storefront flow (three
  \`addItemToOrder\`, \`setOrderShippingAddress\`, \`eligibleShippingMethods\`,
  \`setOrderShippingMethod\`, \`transitionOrderToState\`, \`addPaymentToOrder\`). Both are counted as
  whole orders per second. The store's 16 clients share one customer (it takes concurrent orders of
  one account); Vendure's are 16 customers, because a Vendure session has one active order.
- **Catalogue:** the same products, prices and stock; the store also holds its demo products.
  Vendure sorts a listing by name or price only, so both sides sort by those; the search cycle uses
  relevance, price and name sorts only.
- **Vendure's worker:** Vendure runs its job queue in a worker process in production. On SQLite
  the worker's polling commits about ten times a second, and every login then failed with
  "database is locked" (a login hashes the password inside its transaction, and SQLite refuses to
  upgrade a read transaction another process has written past). The job queue therefore runs in
  the server process, as Vendure documents for single-process set-ups.
`;

function renderPeerReport(report) {
  const demo = report.config.storeDemoProducts;
  const lines = [
    `# The store beside Vendure: ${report.date.slice(0, 10)}`,
    '',
    `${report.config.products.toLocaleString('en-GB')} products, ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}; ` +
      `${report.config.warmupSeconds} s warm-up and ${report.config.rounds} rounds of ${report.config.seconds} s per side, alternating; ` +
      `the bench client on the same cores. The whole run took ${fmt(report.totalSeconds)} s.` +
      (demo ? ` The store also holds its ${demo} demo products.` : ''),
    '',
    'Each cell: requests (orders: whole orders) per second · p50 ms · p99 ms · errors/wrong answers.',
    '',
    '| Scenario (connections) | Store | Vendure | Store ÷ Vendure (spread) |',
    '| --- | --- | --- | --- |',
  ];
  for (const result of Object.values(report.scenarios))
    lines.push(
      `| ${result.name} (${result.store.connections}) | ${side(result.store)} | ${side(result.vendure)} | ${result.ratio.median} (${result.ratio.min}–${result.ratio.max}) |`,
    );
  const search = report.scenarios.search;
  if (search) {
    const met = search.ratio.median >= 3 && search.store.latencyP99Ms < search.vendure.latencyP99Ms;
    lines.push(
      '',
      `Target: search ≥ 3× Vendure's req/s with a lower p99: ${met ? 'met' : 'MISSED'} ` +
        `(${search.ratio.median}×; p99 ${search.store.latencyP99Ms} ms against ${search.vendure.latencyP99Ms} ms).`,
    );
  }
  const v = report.load.vendure;
  lines.push(
    '',
    `Loading: the store's search index built itself from products at start in ${report.load.store.indexSeconds} s ` +
      '(the bench writes its products straight into SQLite, as for `npm run bench`). ' +
      `Vendure: initial data in ${v.populateSeconds} s, its importer in ${v.importSeconds} s, ` +
      `its search index (\`reindex\` job) in ${v.indexSeconds} s; ${fmt(Math.round(v.totalSeconds))} s from an empty database to serving.`,
    '',
    `Peak RSS over the run: store ${report.peakRssMb.store} MB, Vendure ${report.peakRssMb.vendure} MB.`,
    '',
  );
  const examples = Object.entries(report.scenarios).flatMap(([key, r]) =>
    ['store', 'vendure'].flatMap((s) =>
      r[s].wrongExamples?.length ? [`- ${key}, ${s}: ${r[s].wrongExamples.join(' | ')}`] : [],
    ),
  );
  if (examples.length) lines.push('Errors and wrong answers seen:', '', ...examples, '');
  lines.push(FAIRNESS);
  return lines.join('\n');
}

module.exports = { renderPeerReport };
