'use strict';
/**
 * npm run bench:peers (or BENCH_PEERS=vendure npm run bench): the store beside Vendure on the same
 * machine and the same catalogue, in one run. Both are loaded, both run at once, and each
 * scenario alternates between them round by round (store, Vendure, store, Vendure…), so both see
 * the same machine; the report gives req/s, p50/p99, errors, wrong answers and peak RSS of each,
 * and the ratio store ÷ Vendure per scenario with its spread. Every answer is checked. Writes
 * bench/results/peers-latest.{md,json}.
 *
 * Environment: BENCH_PRODUCTS (default 100000), BENCH_SECONDS, BENCH_WARMUP_SECONDS,
 * BENCH_ROUNDS, BENCH_QUICK=1, BENCH_KEEP=1 (as for npm run bench).
 */
const Database = require('better-sqlite3');
const fs = require('node:fs');
const { join } = require('node:path');
const bench = require('./run');
const { CATEGORIES, searchMix } = require('./catalogue');
const vendure = require('./peers/vendure');
const { renderPeerReport } = require('./peers/report');

const { log, sleep, workDir, SECONDS, WARMUP, ROUNDS, ORDERABLE } = bench;
const PAGE = 20;
const SHOPPERS = 16;
// The sorts both sides offer (Vendure's search sorts by name or price; relevance without one).
const SHARED_SORTS = ['relevance', 'price_asc', 'price_desc', 'name'];
const LISTING_SORTS = [
  ['name', 'asc'],
  ['name', 'desc'],
  ['price', 'asc'],
  ['price', 'desc'],
];
const PAGES = [1, 1, 2, 3, 5, 10, 25, 50, 100, 200];

/** Autocannon requests from `make(n)`, each answer checked by `check(status, body, n)`. */
function checkedRequests(make, check, wrong) {
  let n = 0;
  return [
    {
      setupRequest: (request, context) => {
        context.n = n;
        return { ...request, ...make(n++) };
      },
      onResponse: (status, body, context) => {
        let problem;
        try {
          problem = check(status, JSON.parse(body), context.n);
        } catch (error) {
          problem = `${status}: ${error.message}`;
        }
        if (problem) {
          wrong.count++;
          if (wrong.examples.length < 3) wrong.examples.push(problem);
        }
      },
    },
  ];
}

/** One side of a scenario for this many seconds: its summary, wrong answers and RSS peaks. */
async function measureSide(side, seconds) {
  const wrong = { count: 0, examples: [] };
  const stopRss = bench.rssSampler(side.procs);
  const result = await bench.cannon({
    url: side.url,
    connections: side.connections,
    duration: seconds,
    requests: checkedRequests(side.make, side.check, wrong),
  });
  return {
    ...bench.summarize(result, seconds),
    wrong: wrong.count,
    wrongExamples: wrong.examples,
    peakRssMb: stopRss(),
  };
}

/** Whole flows (an order through every step), `connections` at a time, for `seconds`. */
async function measureFlows(side, seconds) {
  const stopRss = bench.rssSampler(side.procs);
  const latencies = [];
  const failures = [];
  const began = Date.now();
  const end = began + seconds * 1000;
  await Promise.all(
    Array.from({ length: side.connections }, async (_, c) => {
      for (let k = 0; Date.now() < end; k++) {
        const t = performance.now();
        try {
          await side.flow(c, k);
          latencies.push(performance.now() - t);
        } catch (error) {
          failures.push(error.message);
        }
      }
    }),
  );
  const elapsed = (Date.now() - began) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return {
    requestsPerSec: Math.round((latencies.length / elapsed) * 10) / 10,
    latencyP50Ms: at(0.5),
    latencyP99Ms: at(0.99),
    latencyMaxMs: Math.round(sorted.at(-1) ?? 0),
    requests: latencies.length + failures.length,
    errors: failures.length,
    wrong: 0,
    wrongExamples: failures.slice(0, 3),
    connections: side.connections,
    peakRssMb: stopRss(),
  };
}

/** A scenario: warm-up of each side, then ROUNDS rounds alternating store and Vendure. */
async function compare(name, store, peer, measureOne = measureSide) {
  log(`  ${name}: warm-up ${WARMUP}s each, ${ROUNDS} × ${SECONDS}s alternating`);
  if (WARMUP > 0) {
    await measureOne(store, WARMUP);
    await measureOne(peer, WARMUP);
  }
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await measureOne(store, SECONDS));
    b.push(await measureOne(peer, SECONDS));
    log(
      `    round ${r + 1}: store ${a[r].requestsPerSec}/s p99 ${a[r].latencyP99Ms} ms (errors ${a[r].errors}, wrong ${a[r].wrong}) · Vendure ${b[r].requestsPerSec}/s p99 ${b[r].latencyP99Ms} ms (errors ${b[r].errors}, wrong ${b[r].wrong})`,
    );
    for (const [label, round] of [
      ['store', a[r]],
      ['Vendure', b[r]],
    ])
      if (round.wrongExamples.length) log(`      ${label}: ${round.wrongExamples.join(' | ')}`);
  }
  const side = (rounds) => ({
    ...bench.combine(rounds),
    wrong: rounds.reduce((n, r) => n + r.wrong, 0),
    wrongExamples: rounds.flatMap((r) => r.wrongExamples).slice(0, 3),
  });
  return { store: side(a), vendure: side(b), ratio: bench.roundRatios(a, b) };
}

// ---------------------------------------------------------------- the two sides

function storeCategoryCounts(dataDir) {
  const db = new Database(join(dataDir, 'products.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT category, COUNT(*) AS n FROM product WHERE archived = 0 GROUP BY category')
      .all();
    return new Map(rows.map((r) => [r.category, r.n]));
  } finally {
    db.close();
  }
}

/** Loads the catalogue into a new Vendure, starts it and builds its index. */
async function startVendure(catalogue) {
  const dir = join(workDir, 'vendure');
  fs.mkdirSync(dir, { recursive: true });
  const database = join(dir, 'vendure.sqlite');
  const catalogueFile = join(dir, 'catalogue.json');
  fs.writeFileSync(catalogueFile, JSON.stringify(vendure.peerCatalogue(catalogue, ORDERABLE)));
  log(`loading ${catalogue.length} products into Vendure (populate, then its importer)`);
  const loader = bench.spawnLogged(
    'vendure-load',
    [join(vendure.PEER, 'load.js'), database, catalogueFile, String(await bench.freePort())],
    vendure.vendureEnv(),
    join(workDir, 'vendure-load.log'),
  );
  const code = await new Promise((done) => loader.child.once('exit', done));
  const lines = fs.readFileSync(loader.logFile, 'utf8').trim().split('\n');
  if (code !== 0) throw new Error(`Vendure load failed; see ${loader.logFile}`);
  const load = JSON.parse(lines.at(-1));
  if (load.errors.length || load.imported !== catalogue.length)
    throw new Error(`Vendure imported ${load.imported}: ${load.errors.join('; ')}`);
  log(`  populated in ${load.populateSeconds} s, imported in ${load.importSeconds} s`);

  const port = await bench.freePort();
  const url = `http://${bench.HOST}:${port}`;
  const proc = bench.spawnLogged(
    'vendure',
    [
      ...(process.env.BENCH_PROFILE === '1'
        ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'profiles', 'vendure')}`]
        : []),
      join(vendure.PEER, 'server.js'),
      database,
      String(port),
    ],
    vendure.vendureEnv(),
    join(workDir, 'vendure.log'),
  );
  await bench.waitHealthy(proc, url);
  const index = await vendure.buildSearchIndex(url, database, sleep);
  log(`  Vendure's search index: ${index.seconds} s (reindex job; ${index.waited} s waited)`);
  return { url, proc, procs: { vendure: proc }, database, load, index };
}

/** The scenarios, each as the store's request and Vendure's, with the check of each answer. */
function scenarios({ store, peer, catalogue, ids, storeCounts, customer, shoppers }) {
  const n = catalogue.length;
  const pick = (i) => (i * 7919) % n;
  const perCategory = Math.floor(n / CATEGORIES.length / PAGE);
  const pageOf = (i) =>
    Math.min(PAGES[Math.floor(i / 16) % PAGES.length], Math.max(1, perCategory));
  const listing = (i) => {
    const [sort, order] = LISTING_SORTS[i % LISTING_SORTS.length];
    return {
      sort,
      order,
      category: CATEGORIES[Math.floor(i / 4) % CATEGORIES.length],
      page: pageOf(i),
    };
  };
  // The last page of a category is a partial one.
  const pageLength = (total, i) =>
    Math.max(0, Math.min(PAGE, total - (listing(i).page - 1) * PAGE));
  const sortedBy = (values, order) =>
    values.every((v, k) =>
      k === 0 ? true : order === 'asc' ? values[k - 1] <= v : values[k - 1] >= v,
    );
  const vendurePrice = (p) => p.value ?? p.min;
  const mix = searchMix(catalogue, 1500, 17, SHARED_SORTS).map((path) => {
    const params = new URL(path, 'http://x').searchParams;
    return { path, q: params.get('q'), category: params.get('category'), sort: params.get('sort') };
  });
  const vendureSort = {
    price_asc: { price: 'ASC' },
    price_desc: { price: 'DESC' },
    name: { name: 'ASC' },
  };
  const facetSum = (counts) => counts.reduce((s, c) => s + c, 0);
  /** A placed order: confirmed, its three lines, the catalogue's prices times the quantities. */
  const expectOrder = (label, lines, placed) => {
    const expected = lines.reduce((s, l) => s + catalogue[l.index].priceCents * l.quantity, 0);
    if (placed.state !== placed.confirmed || placed.lines !== 3 || placed.amount !== expected)
      throw new Error(
        `${label} order ${placed.state}, ${placed.lines} lines, ${placed.amount} ≠ ${expected}`,
      );
  };
  const storeSide = (connections, make, check) => ({
    url: store.url('products'),
    procs: store.procs,
    connections,
    make,
    check,
  });
  const peerSide = (connections, make, check) => ({
    url: peer.url,
    procs: peer.procs,
    connections,
    make,
    check,
  });
  return {
    productById: [
      'Product by id',
      storeSide(
        32,
        (i) => ({ method: 'GET', path: `/api/products/${catalogue[pick(i)].id}` }),
        (status, body, i) =>
          status === 200 && body.name === catalogue[pick(i)].name
            ? undefined
            : `${status} ${body.name} for ${catalogue[pick(i)].name}`,
      ),
      peerSide(
        32,
        (i) => vendure.gql(vendure.PRODUCT, { id: ids.products[pick(i)].productId }),
        (status, body, i) =>
          status === 200 && body.data?.product?.name === catalogue[pick(i)].name
            ? undefined
            : `${status} ${JSON.stringify(body).slice(0, 200)}`,
      ),
    ],
    categoryPage: [
      'Category page: name or price, either order, pages 1–200',
      storeSide(
        32,
        (i) => {
          const { sort, order, category, page } = listing(i);
          return {
            method: 'GET',
            path: `/api/products?category=${category}&sort=${sort}&order=${order}&page=${page}&limit=${PAGE}`,
          };
        },
        (status, body, i) => {
          const { sort, order, category } = listing(i);
          const values = body.items?.map((p) =>
            sort === 'name' ? p.name.toLowerCase() : p.priceCents,
          );
          if (status !== 200) return `${status}`;
          if (body.total !== storeCounts.get(category)) return `total ${body.total} in ${category}`;
          if (
            body.items.length !== pageLength(body.total, i) ||
            body.items.some((p) => p.category !== category)
          )
            return `page of ${body.items.length} in ${category}`;
          if (!sortedBy(values, order)) return `not sorted by ${sort} ${order}`;
        },
      ),
      peerSide(
        32,
        (i) => {
          const { sort, order, category, page } = listing(i);
          return vendure.gql(vendure.LISTING, {
            input: {
              facetValueFilters: [{ and: ids.categories.get(category).id }],
              groupByProduct: true,
              sort: { [sort]: order.toUpperCase() },
              take: PAGE,
              skip: (page - 1) * PAGE,
            },
          });
        },
        (status, body, i) => {
          const { sort, order, category } = listing(i);
          const result = body.data?.search;
          if (status !== 200 || !result) return `${status} ${JSON.stringify(body).slice(0, 200)}`;
          if (result.totalItems !== ids.categories.get(category).products)
            return `total ${result.totalItems} in ${category}`;
          const values = result.items.map((p) =>
            sort === 'name' ? p.productName.toLowerCase() : vendurePrice(p.priceWithTax),
          );
          if (result.items.length !== pageLength(result.totalItems, i))
            return `page of ${result.items.length}`;
          if (!sortedBy(values, order)) return `not sorted by ${sort} ${order}`;
        },
      ),
    ],
    search: [
      `Search, ${mix.length} distinct queries in a cycle, with category counts`,
      {
        ...storeSide(
          32,
          (i) => ({ method: 'GET', path: `${mix[i % mix.length].path}&limit=${PAGE}` }),
          (status, body, i) => {
            const { category } = mix[i % mix.length];
            if (status !== 200) return `${status}`;
            if (body.items.length > PAGE || body.items.length > body.total)
              return 'page larger than total';
            if (category && body.items.some((p) => p.category !== category))
              return 'category filter';
            if (!category && facetSum(body.facets.map((f) => f.count)) !== body.total)
              return `facets ${facetSum(body.facets.map((f) => f.count))} ≠ total ${body.total}`;
          },
        ),
        url: store.url('search'),
      },
      peerSide(
        32,
        (i) => {
          const { q, category, sort } = mix[i % mix.length];
          return vendure.gql(vendure.SEARCH, {
            input: {
              term: q,
              groupByProduct: true,
              take: PAGE,
              ...(category
                ? { facetValueFilters: [{ and: ids.categories.get(category).id }] }
                : {}),
              ...(vendureSort[sort] ? { sort: vendureSort[sort] } : {}),
            },
          });
        },
        (status, body, i) => {
          const { category } = mix[i % mix.length];
          const result = body.data?.search;
          if (status !== 200 || !result) return `${status} ${JSON.stringify(body).slice(0, 200)}`;
          if (result.items.length > PAGE || result.items.length > result.totalItems)
            return 'page larger than total';
          if (!category && facetSum(result.facetValues.map((f) => f.count)) !== result.totalItems)
            return `facets ${facetSum(result.facetValues.map((f) => f.count))} ≠ total ${result.totalItems}`;
        },
      ),
    ],
    placeOrder: [
      'Order of three lines as a signed-in customer, the whole flow',
      {
        url: store.url('orders'),
        procs: store.procs,
        connections: SHOPPERS,
        flow: async (c, k) => {
          const lines = orderLines(c, k);
          const body = await bench.json(`${store.url('orders')}/api/orders`, {
            method: 'POST',
            headers: { authorization: `Bearer ${customer}` },
            body: JSON.stringify({
              items: lines.map((l) => ({ productId: catalogue[l.index].id, quantity: l.quantity })),
            }),
          });
          expectOrder('store', lines, {
            state: body.status,
            confirmed: 'CONFIRMED',
            lines: body.lines.length,
            amount: body.subtotalCents,
          });
        },
      },
      {
        url: peer.url,
        procs: peer.procs,
        connections: SHOPPERS,
        flow: async (c, k) => {
          const lines = orderLines(c, k);
          const order = await vendure.placeVendureOrder(
            peer.url,
            shoppers[c],
            lines.map((l) => ({ id: ids.products[l.index].variantId, quantity: l.quantity })),
          );
          expectOrder('Vendure', lines, {
            state: order.state,
            confirmed: 'PaymentSettled',
            lines: order.lines.length,
            amount: order.totalWithTax,
          });
        },
      },
    ],
  };
}

/** Three different orderable products per order, 1–3 of each. */
const orderLines = (c, k) =>
  [0, 1, 2].map((line) => ({
    index: (c * 97 + k * 3 + line) % ORDERABLE,
    quantity: 1 + line,
  }));

// ---------------------------------------------------------------- run

async function comparePeers() {
  const began = Date.now();
  await bench.snapshotDist();
  vendure.installVendure(log);
  log(`work dir ${workDir}`);
  const template = await bench.prepareTemplate();
  const storeCounts = storeCategoryCounts(template.dir);

  const loadBegan = Date.now();
  const peer = await startVendure(template.catalogue);
  const vendureLoadSeconds = (Date.now() - loadBegan) / 1000;
  const ids = vendure.readIds(peer.database, template.catalogue.length);
  const shoppers = await vendure.signUpShoppers(peer.url, SHOPPERS);

  const store = await bench.startStore('single', join(workDir, 'template'));
  const storeIndexSeconds = await bench.waitIndexed(store, template.total);
  log(`store: search index built in ${storeIndexSeconds} s (from the start of its process)`);
  const customer = await bench.login(store, bench.CUSTOMER);
  await sleep(1000);

  const all = scenarios({
    store,
    peer,
    catalogue: template.catalogue,
    ids,
    storeCounts,
    customer,
    shoppers,
  });
  const results = {};
  for (const [key, [name, storeSide, peerSide]] of Object.entries(all))
    results[key] = {
      name,
      ...(await compare(name, storeSide, peerSide, storeSide.flow ? measureFlows : measureSide)),
    };

  const hwm = (proc) => Math.round(bench.readStatus(proc.pid, 'VmHWM') / 1048576);
  const report = {
    date: new Date().toISOString(),
    machine: bench.machine(),
    config: {
      products: template.catalogue.length,
      storeDemoProducts: template.total - template.catalogue.length,
      seconds: SECONDS,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
    },
    load: {
      store: { indexSeconds: storeIndexSeconds },
      vendure: { ...peer.load, indexSeconds: peer.index.seconds, totalSeconds: vendureLoadSeconds },
    },
    peakRssMb: { store: hwm(store.procs.all), vendure: hwm(peer.proc) },
    scenarios: results,
  };
  for (const p of [...Object.values(store.procs), peer.proc]) await bench.stopProc(p);
  report.totalSeconds = Math.round((Date.now() - began) / 1000);
  fs.mkdirSync(bench.RESULTS, { recursive: true });
  fs.writeFileSync(
    join(bench.RESULTS, 'peers-latest.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  fs.writeFileSync(join(bench.RESULTS, 'peers-latest.md'), renderPeerReport(report));
  log(`done in ${report.totalSeconds} s: bench/results/peers-latest.md`);
  console.log(renderPeerReport(report));
}

module.exports = { comparePeers };

if (require.main === module) bench.runToEnd(comparePeers);
