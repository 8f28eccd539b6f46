'use strict';
/**
 * npm run bench: seeds 100,000 products, starts the store on loopback in each topology (one
 * process; five processes over TCP) and, beside the one process on the same database files, the
 * SQL-only baseline (bench/baseline/server.js). Each read scenario is measured in rounds that
 * alternate store and baseline (A, B, A, B…), so both see the same machine; the report gives the
 * median and the spread of the rounds and of the ratio, every target of the performance issue as
 * met or missed, and peak RSS per scenario. Writes bench/results/latest.{md,json}.
 *
 * Environment: BENCH_QUICK=1 (20,000 products, 2 s warm-up + 5 s per round: a few minutes),
 * BENCH_SECONDS (per round, default 10), BENCH_WARMUP_SECONDS (default 3), BENCH_ROUNDS (default
 * 2), BENCH_PRODUCTS (default 100000), BENCH_TOPOLOGIES (default "single,split"), BENCH_KEEP=1
 * keeps the temp data and logs, BENCH_PROFILE=1 runs the store with --cpu-prof (profiles in the
 * temp dir), BENCH_SCENARIOS picks scenarios (e.g. "productById,searchUncached"), BENCH_STORE_ENV
 * adds store env (JSON), BENCH_DIST runs another build (a dist/ folder) instead of ./dist,
 * BENCH_REPORT_FROM=<latest.json> renders a saved run's report again without measuring.
 * BENCH_PEERS=vendure runs the comparison with Vendure instead (bench/peers.js).
 */
const autocannon = require('autocannon');
const Database = require('better-sqlite3');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { join, resolve } = require('node:path');
const { generateCatalogue, SEARCH_QUERIES, CATEGORIES, searchMix } = require('./catalogue');
const { runClassicWorkload } = require('./classic-workload');

const ROOT = resolve(__dirname, '..');
// The store runs from a private copy of dist/ (under node_modules, so packages resolve): a rebuild
// of dist/ while the bench runs cannot break it.
const SNAPSHOT = join(ROOT, 'node_modules', '.cache', 'mfm-bench', `dist-${process.pid}`);
const ENTRY = join(SNAPSHOT, 'main.js');
const RESULTS = join(__dirname, 'results');
const HOST = '127.0.0.1';
const MODULES = ['users', 'products', 'search', 'orders', 'logging'];
const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 5 : 10));
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? (QUICK ? 2 : 3));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const PRODUCT_COUNT = Number(process.env.BENCH_PRODUCTS ?? (QUICK ? 20_000 : 100_000));
const DIST = resolve(process.env.BENCH_DIST ?? join(ROOT, 'dist'));
const TOPOLOGIES = (process.env.BENCH_TOPOLOGIES ?? 'single,split').split(',');
const PROFILE = process.env.BENCH_PROFILE === '1';
const ONLY = process.env.BENCH_SCENARIOS?.split(','); // e.g. "productById,search" (profiling)
const wanted = (name) => !ONLY || ONLY.includes(name);
const ORDERABLE = 300; // products with ample stock for the order scenario
const AUDIT_HISTORY = Number(process.env.BENCH_AUDIT_HISTORY ?? 100_000);
const EMPLOYEE = { username: 'manager', password: 'FreshBasket-2026' };
const CUSTOMER = { username: 'customer', password: 'HappyCart-2026' };

const workDir = fs.mkdtempSync(join(os.tmpdir(), 'mfm-bench-'));
const running = new Set();
const log = (...args) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- processes

function freePort() {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.once('error', fail);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

function spawnLogged(label, args, env, logFile) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const proc = { label, child, pid: child.pid, logFile, exited: false };
  child.on('exit', () => (proc.exited = true));
  running.add(proc);
  return proc;
}

async function waitHealthy(proc, url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exited) throw new Error(`${proc.label} exited; see ${proc.logFile}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${proc.label} not healthy within ${timeoutMs} ms; see ${proc.logFile}`);
}

async function stopProc(proc) {
  if (proc.exited) return running.delete(proc);
  const exited = new Promise((done) => proc.child.once('exit', done));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  running.delete(proc);
}

function readStatus(pid, field) {
  try {
    const m = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seconds from the store's log line about all `total` products (its durationMs), if it logs it:
 * "search index built from <total> products" (a rebuild from products), "search index loaded into
 * memory: <total> products" (a start from the search module's own database). The log also holds
 * the template's first start, with the demo catalogue only.
 */
function loggedSeconds(logFile, total, message = 'search index built from') {
  try {
    for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
      if (!line.includes(`${message} ${total} products`)) continue;
      const { durationMs } = JSON.parse(line);
      if (typeof durationMs === 'number') return durationMs / 1000;
    }
  } catch {
    // no log yet
  }
  return undefined;
}

/** Starts the store; returns { procs, url(module) }. */
async function startStore(topology, dataRoot) {
  const ports = await freePorts(1 + MODULES.length * 3);
  const shared = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test', // demo accounts; same code paths as production otherwise
    LOG_LEVEL: 'info',
    BIND_HOST: HOST,
    HTTP_PORT: String(ports[0]),
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    // The request limits protect a shop from one client; here one client measures throughput
    // (8 logins of one account in flight, thousands of searches and orders a second).
    LOGIN_MAX_FAILURES_PER_USERNAME: '10000',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    RATE_LIMIT_SEARCH: '1000000/1',
    RATE_LIMIT_ORDERS: '1000000/1',
    RATE_LIMIT_REFRESH: '1000000/1',
    RATE_LIMIT_REGISTER: '1000000/1',
    // The classic profile too, for the classic workload (the modern API is the same either way).
    CLASSIC_API: '1',
    // Experiments only, e.g. BENCH_STORE_ENV='{"LOG_LEVEL":"warn"}'; the published figures use none.
    ...JSON.parse(process.env.BENCH_STORE_ENV ?? '{}'),
  };
  MODULES.forEach((module, i) => {
    const prefix = module.toUpperCase();
    shared[`${prefix}_HOST`] = HOST;
    shared[`${prefix}_HTTP_PORT`] = String(ports[1 + i]);
    shared[`${prefix}_TCP_PORT`] = String(ports[1 + MODULES.length + i]);
    shared[`CLASSIC_${prefix}_PORT`] = String(ports[1 + MODULES.length * 2 + i]);
  });
  const classicUrl = (module) => `http://${HOST}:${shared[`CLASSIC_${module.toUpperCase()}_PORT`]}`;
  const nodeArgs = (label) =>
    PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'profiles', topology, label)}`] : [];
  const procs = {};
  const portOf = {};
  if (topology === 'single') {
    procs.all = spawnLogged(
      'all',
      [...nodeArgs('all'), ENTRY],
      { ...shared, DATA_DIR: join(dataRoot, 'all') },
      join(workDir, `${topology}-all.log`),
    );
    for (const m of MODULES) portOf[m] = ports[0];
    await waitHealthy(procs.all, `http://${HOST}:${ports[0]}`);
  } else {
    MODULES.forEach((m, i) => {
      procs[m] = spawnLogged(
        m,
        [...nodeArgs(m), ENTRY, '--service', m],
        // One data folder for the five, as in the README: each module its own SQLite file, and
        // the development bus credentials (mutual TLS) created there on first start, shared.
        { ...shared, DATA_DIR: join(dataRoot, 'split') },
        join(workDir, `${topology}-${m}.log`),
      );
      portOf[m] = ports[1 + i];
    });
    await Promise.all(MODULES.map((m) => waitHealthy(procs[m], `http://${HOST}:${portOf[m]}`)));
  }
  return { procs, url: (module) => `http://${HOST}:${portOf[module]}`, classicUrl };
}

// ---------------------------------------------------------------- data

/** First start on an empty data dir (migrations, demo accounts and catalogue), then 100,000 products straight into SQLite. */
async function prepareTemplate() {
  const dir = join(workDir, 'template');
  const store = await startStore('single', dir);
  // Let the outbox deliver the demo catalogue's events before stopping.
  await sleep(2000);
  for (const p of Object.values(store.procs)) await stopProc(p);
  const all = join(dir, 'all');

  const db = new Database(join(all, 'products.sqlite'));
  const existing = db.prepare('SELECT nameKey, createdAt FROM product').all();
  const sample = existing[0]?.createdAt ?? new Date().toISOString();
  const stamp = (d) =>
    sample.includes('T') ? d.toISOString() : d.toISOString().replace('T', ' ').replace('Z', '');
  const catalogue = generateCatalogue(PRODUCT_COUNT, {
    existingNameKeys: new Set(existing.map((r) => r.nameKey)),
  });
  const insert = db.prepare(
    `INSERT INTO product (id, name, nameKey, description, category, priceCents, stock, archived, version, revision, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, 1, ?, ?)`,
  );
  const start = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    catalogue.forEach((p, i) => {
      const at = stamp(new Date(start + i * 60_000));
      const stock = i < ORDERABLE ? 10_000_000 : p.stock;
      insert.run(p.id, p.name, p.nameKey, p.description, p.category, p.priceCents, stock, at, at);
    });
  })();
  const total = db.prepare('SELECT COUNT(*) AS n FROM product WHERE archived = 0').get().n;
  db.close();
  const history = seedAuditHistory(join(all, 'logging.sqlite'), stamp);
  // An empty search index rebuilds itself from products on start.
  for (const suffix of ['', '-wal', '-shm'])
    fs.rmSync(join(all, `search.sqlite${suffix}`), { force: true });
  log(`seeded ${catalogue.length} products (${total} live in total), ${history} audit events`);
  return { dir: all, catalogue, total };
}

/**
 * What one small write transaction costs on this disk, with the store's settings (WAL,
 * synchronous = FULL: every commit is fsynced before it is acknowledged) and with NORMAL (under WAL
 * a commit is fsynced only at checkpoints: the last transactions can be lost on power loss, never
 * the database's consistency). Median milliseconds per commit over `n` one-row transactions.
 */
function commitCost(dir, n = 300) {
  const result = {};
  for (const mode of ['FULL', 'NORMAL']) {
    const file = join(dir, `commit-probe-${mode}.sqlite`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${mode}`);
    db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const one = db.transaction((v) => insert.run(v));
    const times = [];
    for (let i = 0; i < n; i++) {
      const began = process.hrtime.bigint();
      one(`row ${i}`);
      times.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    result[mode] = Math.round(median(times) * 1000) / 1000;
  }
  return result;
}

/**
 * A log that has lived: AUDIT_HISTORY events of a thousand shoppers (logins and searches) before
 * the run, so the log queries and the classic view_log are measured on a log of a real store's size.
 */
function seedAuditHistory(file, stamp) {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO audit_event (eventId, type, actorUserId, actorUsername, subjectKind, subjectId, subjectName, occurredAt, requestId, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  // The last three weeks or so: inside the searches' 30-day retention, so the store does not
  // spend the first scenarios pruning the history it was given.
  const step = 20_000;
  const start = Date.now() - AUDIT_HISTORY * step - 3_600_000;
  const words = SEARCH_QUERIES;
  db.transaction(() => {
    for (let i = 0; i < AUDIT_HISTORY; i++) {
      const shopper = `shopper${i % 1000}`;
      const userId = `00000000-0000-4000-9000-${String(i % 1000).padStart(12, '0')}`;
      const at = stamp(new Date(start + i * step));
      if (i % 3 === 0)
        insert.run(randomUUID(), 'login', userId, shopper, 'user', userId, shopper, at, '{}');
      else {
        const q = words[i % words.length];
        insert.run(
          randomUUID(),
          'search',
          userId,
          shopper,
          'search',
          'catalogue',
          q,
          at,
          JSON.stringify({ q, total: 1 }),
        );
      }
    }
  })();
  const n = db.prepare('SELECT COUNT(*) AS n FROM audit_event').get().n;
  db.close();
  return n;
}

function copyData(template, dataRoot, topology) {
  // The databases, and the data keys that sealed the personal data in users' database.
  const files = fs
    .readdirSync(template)
    .filter((f) => f.endsWith('.sqlite') || f === 'data-keys.json');
  if (topology === 'single') {
    fs.mkdirSync(join(dataRoot, 'all'), { recursive: true });
    for (const f of fs.readdirSync(template))
      fs.copyFileSync(join(template, f), join(dataRoot, 'all', f));
  } else {
    fs.mkdirSync(join(dataRoot, 'split'), { recursive: true });
    for (const f of files) fs.copyFileSync(join(template, f), join(dataRoot, 'split', f));
  }
}

async function json(url, init = {}) {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function login(store, account) {
  const body = await json(`${store.url('users')}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify(account),
  });
  return body.accessToken;
}

async function waitIndexed(store, total) {
  const started = Date.now();
  for (;;) {
    const page = await json(`${store.url('search')}/api/search?limit=1`).catch(() => ({
      total: -1,
    }));
    if (page.total === total) return (Date.now() - started) / 1000;
    if (Date.now() - started > 600_000) throw new Error(`search indexed ${page.total} of ${total}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------- load

function cannon(opts) {
  return new Promise((done, fail) => {
    autocannon({ timeout: 10, ...opts }, (error, result) => (error ? fail(error) : done(result)));
  });
}

function summarize(result, seconds) {
  return {
    requestsPerSec: Math.round((result['2xx'] / seconds) * 10) / 10,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    errors: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
    connections: result.connections,
  };
}

/** Polls RSS of every process while a measurement runs. */
function rssSampler(procs) {
  const peak = {};
  const sample = () => {
    for (const [label, p] of Object.entries(procs)) {
      const rss = readStatus(p.pid, 'VmRSS');
      if (rss !== undefined) peak[label] = Math.max(peak[label] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  return () => {
    clearInterval(timer);
    sample();
    return Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 1048576)]));
  };
}

/** One autocannon run after nothing else: a summary with the RSS peaks of `procs` meanwhile. */
async function measureOnce(procs, opts) {
  const stop = rssSampler(procs);
  const result = await cannon({ ...opts, duration: SECONDS });
  return { ...summarize(result, SECONDS), peakRssMb: stop() };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round2 = (x) => Math.round(x * 100) / 100;

/** Rounds of one side: median req/s and p50, the worst p99, the spread of req/s. */
function combine(rounds) {
  const rps = rounds.map((r) => r.requestsPerSec);
  const peakRssMb = {};
  for (const r of rounds)
    for (const [label, mb] of Object.entries(r.peakRssMb ?? {}))
      peakRssMb[label] = Math.max(peakRssMb[label] ?? 0, mb);
  return {
    requestsPerSec: Math.round(median(rps) * 10) / 10,
    spread: [Math.min(...rps), Math.max(...rps)],
    latencyP50Ms: Math.round(median(rounds.map((r) => r.latencyP50Ms)) * 10) / 10,
    latencyP99Ms: Math.max(...rounds.map((r) => r.latencyP99Ms)),
    latencyMaxMs: Math.max(...rounds.map((r) => r.latencyMaxMs)),
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    connections: rounds[0].connections,
    peakRssMb,
    rounds: rounds.map((r) => ({
      requestsPerSec: r.requestsPerSec,
      latencyP50Ms: r.latencyP50Ms,
      latencyP99Ms: r.latencyP99Ms,
      errors: r.errors,
    })),
  };
}

/**
 * A scenario in ROUNDS rounds; with a baseline, store and baseline alternate (A, B, A, B…) on the
 * same request sequence, each side with its own rotation (so a cache sees the same cycle of
 * requests as with the store alone). Returns { app, baseline?, ratio? }.
 */
async function measure(name, procs, { make, ...opts }, baseline) {
  log(
    `  ${name}: warm-up ${WARMUP}s, ${ROUNDS} × ${SECONDS}s${baseline ? ', alternating with the baseline' : ''}`,
  );
  const appOpts = { ...opts, requests: rotating(make) };
  const baseOpts = baseline && { ...opts, url: baseline.url, requests: rotating(make) };
  if (WARMUP > 0) {
    await cannon({ ...appOpts, duration: WARMUP });
    if (baseOpts) await cannon({ ...baseOpts, duration: WARMUP });
  }
  const app = [];
  const base = [];
  for (let r = 0; r < ROUNDS; r++) {
    app.push(await measureOnce(procs, appOpts));
    if (baseOpts) base.push(await measureOnce(baseline.procs, baseOpts));
    log(
      `    round ${r + 1}: ${app[r].requestsPerSec} req/s, p99 ${app[r].latencyP99Ms} ms, errors ${app[r].errors}` +
        (baseOpts ? ` · baseline ${base[r].requestsPerSec} req/s` : ''),
    );
  }
  const summary = combine(app);
  if (!baseOpts) return { app: summary };
  return { app: summary, baseline: combine(base), ratio: roundRatios(app, base) };
}

/** The ratio a ÷ b of req/s, round by round: its median and spread. */
function roundRatios(a, b) {
  const ratios = a.map((x, i) => x.requestsPerSec / (b[i].requestsPerSec || Infinity));
  return {
    median: round2(median(ratios)),
    min: round2(Math.min(...ratios)),
    max: round2(Math.max(...ratios)),
  };
}

/** Rotates through `make(i)` for each request. */
function rotating(make) {
  let i = 0;
  return [{ setupRequest: (req) => ({ ...req, ...make(i++) }) }];
}

const SORTS = ['name', 'price', 'updatedAt', 'rating'];
// Shallow pages mostly, and deep ones (a category holds about 1/12 of the catalogue).
const PAGES = [1, 1, 2, 3, 5, 10, 25, 50, 100, 200];

async function runScenarios(store, procs, catalogue, baseline) {
  const employee = await login(store, EMPLOYEE);
  const customer = await login(store, CUSTOMER);
  const ids = catalogue.map((p) => p.id);
  const pick = (i, from, span) => ids[from + ((i * 7919) % span)];
  const perCategory = Math.floor(ids.length / CATEGORIES.length / 20);
  const mix = searchMix(catalogue);
  const results = {};
  const run = async (key, name, opts, withBaseline) => {
    if (!wanted(key)) return;
    const measured = await measure(name, procs, opts, withBaseline ? baseline : undefined);
    results[key] = measured;
  };

  await run(
    'productById',
    'product by id',
    {
      url: store.url('products'),
      connections: 32,
      make: (i) => ({ method: 'GET', path: `/api/products/${pick(i, 0, ids.length)}` }),
    },
    true,
  );
  await run(
    'catalogue',
    'catalogue page: category, every sort and order, shallow and deep pages',
    {
      url: store.url('products'),
      connections: 32,
      make: (i) => {
        const sort = SORTS[i % SORTS.length];
        const order = Math.floor(i / SORTS.length) % 2 ? 'desc' : 'asc';
        const category = CATEGORIES[Math.floor(i / 8) % CATEGORIES.length];
        const page = Math.min(PAGES[Math.floor(i / 96) % PAGES.length], Math.max(1, perCategory));
        return {
          method: 'GET',
          path: `/api/products?category=${category}&sort=${sort}&order=${order}&page=${page}`,
        };
      },
    },
    true,
  );
  await run(
    'searchUncached',
    `search, ${mix.length} distinct queries in a cycle (more than the result cache holds)`,
    {
      url: store.url('search'),
      connections: 32,
      make: (i) => ({ method: 'GET', path: mix[i % mix.length] }),
    },
    true,
  );
  await run(
    'searchCached',
    `search, ${SEARCH_QUERIES.length} popular queries (result cache)`,
    {
      url: store.url('search'),
      connections: 32,
      make: (i) => ({
        method: 'GET',
        path: `/api/search?q=${encodeURIComponent(SEARCH_QUERIES[i % SEARCH_QUERIES.length])}`,
      }),
    },
    true,
  );
  await run('login', 'login', {
    url: store.url('users'),
    connections: 8,
    make: (i) => ({
      method: 'POST',
      path: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(i % 2 ? CUSTOMER : EMPLOYEE),
    }),
  });
  // Product reads at a steady rate while logins saturate the password hash.
  if (wanted('readsDuringLoginStorm')) {
    log('  product reads during a login storm');
    const stopRss = rssSampler(procs);
    const [storm, reads] = await Promise.all([
      cannon({
        url: store.url('users'),
        connections: 8,
        duration: SECONDS,
        requests: rotating(() => ({
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(CUSTOMER),
        })),
      }),
      cannon({
        url: store.url('products'),
        connections: 4,
        overallRate: 200,
        duration: SECONDS,
        requests: rotating((i) => ({
          method: 'GET',
          path: `/api/products/${pick(i, 0, ids.length)}`,
        })),
      }),
    ]);
    results.readsDuringLoginStorm = {
      app: {
        ...summarize(reads, SECONDS),
        loginsPerSec: summarize(storm, SECONDS).requestsPerSec,
        loginErrors: summarize(storm, SECONDS).errors,
        peakRssMb: stopRss(),
      },
    };
    log(
      `    reads p99 ${reads.latency.p99} ms at ${results.readsDuringLoginStorm.app.requestsPerSec} req/s, logins ${results.readsDuringLoginStorm.app.loginsPerSec}/s`,
    );
  }
  await run('employeeEdit', 'employee product edit', {
    url: store.url('products'),
    connections: 16,
    make: (i) => ({
      method: 'PATCH',
      path: `/api/products/${pick(i, ORDERABLE, ids.length - ORDERABLE)}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${employee}` },
      body: JSON.stringify({ priceCents: 100 + (i % 900) }),
    }),
  });
  await run('placeOrder', 'place an order of three lines', {
    url: store.url('orders'),
    connections: 16,
    make: (i) => ({
      method: 'POST',
      path: '/api/orders',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
      body: JSON.stringify({
        items: [0, 1, 2].map((k) => ({ productId: ids[(i * 3 + k) % ORDERABLE], quantity: 1 + k })),
      }),
    }),
  });
  await run(
    'auditQuery',
    'audit log of one user, newest first',
    {
      url: store.url('logging'),
      connections: 32,
      make: (i) => ({
        method: 'GET',
        path: `/api/logs?username=${i % 2 ? 'customer' : 'manager'}&order=desc`,
        headers: { authorization: `Bearer ${employee}` },
      }),
    },
    true,
  );
  return results;
}

/** The SQL-only baseline, on the one process's database files while the store runs. */
async function startBaseline(dataDir) {
  const port = await freePort();
  const proc = spawnLogged(
    'baseline',
    [join(__dirname, 'baseline', 'server.js'), dataDir, String(port)],
    { PATH: process.env.PATH, HOME: process.env.HOME },
    join(workDir, 'baseline.log'),
  );
  const url = `http://${HOST}:${port}`;
  await waitHealthy(proc, url);
  return { url, proc, procs: { baseline: proc } };
}

// ---------------------------------------------------------------- report

const SCENARIOS = [
  ['productById', 'Product by id (GET /api/products/:id)'],
  ['catalogue', 'Catalogue page: category, 4 sorts × 2 orders, pages 1–200'],
  ['searchUncached', 'Search, ≥ 1,000 distinct queries, result cache missing'],
  ['searchCached', 'Search, 30 popular queries, result cache hitting'],
  ['login', 'Login (POST /api/auth/login)'],
  ['readsDuringLoginStorm', 'Product reads during a login storm (200 req/s)'],
  ['employeeEdit', 'Employee product edit (PATCH /api/products/:id)'],
  ['placeOrder', 'Place an order, 3 lines (POST /api/orders)'],
  ['auditQuery', 'Audit log of one user (GET /api/logs?username=)'],
];

const ratio = (a, b) => (a && b ? round2(a / b) : null);

function evaluate(report) {
  const single = report.topologies.single?.scenarios ?? {};
  const split = report.topologies.split?.scenarios ?? {};
  const s = (k) => single[k]?.app;
  const p = (k) => split[k]?.app;
  const targets = [];
  const add = (target, measured, met) =>
    targets.push({
      target,
      measured,
      met:
        measured === null || measured === undefined || Number.isNaN(measured) || met === null
          ? null
          : met,
    });
  const vsBaseline = (key, label, min) => {
    const r = single[key]?.ratio;
    add(
      `${label} ≥ ${min}× its SQL-only baseline (median of alternating rounds; spread ${r ? `${r.min}–${r.max}` : '–'})`,
      r?.median,
      r?.median >= min,
    );
  };
  vsBaseline('productById', 'Product by id', 0.6);
  vsBaseline('catalogue', 'Catalogue page', 0.5);
  vsBaseline('searchUncached', 'Search, uncached', 5);
  vsBaseline('auditQuery', 'Audit log of one user', 0.6);
  add(
    'Catalogue page p99 ≤ 50 ms at 32 connections, every sort and page (ms, worst round)',
    s('catalogue')?.latencyP99Ms,
    s('catalogue')?.latencyP99Ms <= 50,
  );
  add('Catalogue page: 0 errors', s('catalogue')?.errors, s('catalogue')?.errors === 0);
  const catVsId = ratio(s('catalogue')?.requestsPerSec, s('productById')?.requestsPerSec);
  add('Catalogue page throughput ≥ 0.3× product by id', catVsId, catVsId >= 0.3);
  add(
    'Search p99 ≤ 20 ms at 32 connections, ≥ 1,000 distinct queries, cache missing (ms)',
    s('searchUncached')?.latencyP99Ms,
    s('searchUncached')?.latencyP99Ms <= 20,
  );
  const searchSplit = ratio(
    p('searchUncached')?.requestsPerSec,
    s('searchUncached')?.requestsPerSec,
  );
  add('Split ≥ 0.8× one process, search uncached', searchSplit, searchSplit >= 0.8);
  const searchRss = report.topologies.split?.peakRssMb?.search;
  add(
    'Split search process peak RSS ≤ 250 MB over the whole run (MB, VmHWM)',
    searchRss,
    searchRss <= 250,
  );
  add(
    'Search p99 with the result cache hitting (reported, not a target; ms)',
    s('searchCached')?.latencyP99Ms,
    null,
  );
  add(
    'Employee edit ≥ 1,500 req/s, one process',
    s('employeeEdit')?.requestsPerSec,
    s('employeeEdit')?.requestsPerSec >= 1500,
  );
  add(
    'Order of 3 lines ≥ 600 req/s, one process',
    s('placeOrder')?.requestsPerSec,
    s('placeOrder')?.requestsPerSec >= 600,
  );
  for (const [key, label, min] of [
    ['employeeEdit', 'employee edit', 0.5],
    ['placeOrder', 'order of 3 lines', 0.8],
  ]) {
    const r = ratio(p(key)?.requestsPerSec, s(key)?.requestsPerSec);
    add(`Split ≥ ${min}× one process, ${label}`, r, r >= min);
  }
  add(
    'Audit log of one user ≥ 2,000 req/s, one process',
    s('auditQuery')?.requestsPerSec,
    s('auditQuery')?.requestsPerSec >= 2000,
  );
  const build = report.topologies.single?.indexSeconds;
  // The target is for 100,000 products: a smaller catalogue is reported, not judged.
  const full = report.config.products >= 100_000;
  add(
    `Index build from products at first start (reported; s; this run: ${report.config.products} products)`,
    build,
    null,
  );
  const load = report.topologies.split?.loadSeconds;
  add(
    `Index ready at start ≤ 3 s for 100,000 products, from the search database (split search process; s; this run: ${report.config.products} products${full ? '' : ', not judged'})`,
    load,
    full ? load <= 3 : null,
  );
  const rss = report.topologies.single?.peakRssMb?.all;
  add('One-process peak RSS ≤ 300 MB over the whole run (MB, VmHWM)', rss, rss <= 300);
  for (const [topology, scenarios] of [
    ['one process', single],
    ['split', split],
  ]) {
    const storm = scenarios.readsDuringLoginStorm?.app;
    if (storm)
      add(
        `Product reads p99 ≤ 50 ms during a login storm, ${topology} (ms; ${storm.loginsPerSec} logins/s)`,
        storm.latencyP99Ms,
        storm.latencyP99Ms <= 50,
      );
  }
  // Vendure runs only in the peer comparison (npm run bench:peers, 30 minutes of its loading at
  // 100,000 products); its latest run is reported here with its date and size.
  const peers = readPeers();
  const peerSearch = peers?.scenarios?.search;
  add(
    peerSearch
      ? `Search ≥ 3× Vendure's req/s with a lower p99 (npm run bench:peers of ${peers.date.slice(0, 10)}, ${peers.config.products} products; p99 ${peerSearch.store.latencyP99Ms} ms against ${peerSearch.vendure.latencyP99Ms} ms)`
      : "Search ≥ 3× Vendure's req/s with a lower p99 (npm run bench:peers: not run)",
    peerSearch?.ratio.median,
    peerSearch
      ? peerSearch.ratio.median >= 3 &&
          peerSearch.store.latencyP99Ms < peerSearch.vendure.latencyP99Ms
      : null,
  );
  const peerOrder = peers?.scenarios?.placeOrder;
  add(
    peerOrder
      ? `Placing an order ≥ 3× Vendure's complete order flows per second (npm run bench:peers of ${peers.date.slice(0, 10)}, ${peers.config.products} products)`
      : "Placing an order ≥ 3× Vendure's complete order flows per second (npm run bench:peers: not run)",
    peerOrder?.ratio.median,
    peerOrder ? peerOrder.ratio.median >= 3 : null,
  );
  const errors = [];
  for (const [topology, t] of Object.entries(report.topologies))
    for (const [name, r] of Object.entries(t.scenarios)) {
      const n = (r.app?.errors ?? 0) + (r.app?.loginErrors ?? 0) + (r.baseline?.errors ?? 0);
      if (n) errors.push(`${topology}/${name}: ${n}`);
    }
  for (const [topology, c] of Object.entries(report.classic ?? {}))
    for (const [clients, r] of Object.entries(c))
      if (r.errors) errors.push(`classic ${topology} ${clients}: ${r.errors}`);
  add('Zero errors in every scenario', errors.length ? errors.join(', ') : 0, errors.length === 0);
  return targets;
}

/**
 * This run against a saved run of an earlier build on the same machine (bench/results/before.json,
 * or BENCH_BEFORE=<file>; its `note` says which build and how it was run), scenario by scenario.
 */
function beforeAndAfter(report) {
  const file = process.env.BENCH_BEFORE ?? join(RESULTS, 'before.json');
  if (!fs.existsSync(file)) return [];
  const before = JSON.parse(fs.readFileSync(file, 'utf8'));
  const lines = [
    '## Before and after',
    '',
    `${before.note ?? 'An earlier run'} (${before.date}, ${before.config.products} products).`,
    '',
    '| Scenario | Topology | Before req/s | Before p99 ms | This run req/s | This run p99 ms | This run ÷ before | Before ÷ baseline | This run ÷ baseline |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, label] of SCENARIOS)
    for (const topology of ['single', 'split']) {
      const was = before.topologies[topology]?.scenarios?.[key];
      const now = report.topologies[topology]?.scenarios?.[key];
      if (!was?.app || !now?.app) continue;
      lines.push(
        `| ${label} | ${topology} | ${was.app.requestsPerSec} | ${was.app.latencyP99Ms} | ${now.app.requestsPerSec} | ` +
          `${now.app.latencyP99Ms} | ${ratio(now.app.requestsPerSec, was.app.requestsPerSec)} | ` +
          `${was.ratio?.median ?? '–'} | ${now.ratio?.median ?? '–'} |`,
      );
    }
  const rss = (r) => r.topologies.single?.peakRssMb?.all ?? '–';
  lines.push('', `One-process peak RSS: before ${rss(before)} MB, this run ${rss(report)} MB.`, '');
  return lines;
}

/** The latest peer comparison's results, if one ran (bench/results/peers-latest.json). */
function readPeers() {
  try {
    return JSON.parse(fs.readFileSync(join(RESULTS, 'peers-latest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function markdown(report) {
  const single = report.topologies.single?.scenarios ?? {};
  const split = report.topologies.split?.scenarios ?? {};
  const rps = (r) =>
    r ? `${r.requestsPerSec}${r.spread ? ` (${r.spread[0]}–${r.spread[1]})` : ''}` : '–';
  const lat = (r) => (r ? `${r.latencyP50Ms} / ${r.latencyP99Ms}` : '–');
  const lines = [
    `# Benchmark results`,
    '',
    `${report.date} · ${report.machine.cpus}× ${report.machine.cpuModel} · Node ${report.machine.node} · ` +
      `${report.config.products} products${report.config.quick ? ' (quick mode)' : ''} · ${report.config.warmupSeconds} s warm-up + ` +
      `${report.config.rounds} rounds × ${report.config.seconds} s per scenario, store and baseline alternating · loopback only`,
    '',
    'Req/s: median of the rounds (lowest–highest). p99: the worst round. Ratio: store ÷ baseline per pair of adjacent rounds, median (lowest–highest).',
    '',
    '| Scenario | Conn. | Baseline req/s | One process req/s | p50 / p99 ms | Errors | One process / baseline | Peak RSS MB | Split req/s | p50 / p99 ms | Errors | Split / one process |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, label] of SCENARIOS) {
    const a = single[key]?.app;
    const b = single[key]?.baseline;
    const q = split[key]?.app;
    const r = single[key]?.ratio;
    if (!a && !q) continue;
    lines.push(
      `| ${label} | ${(a ?? q)?.connections ?? '–'} | ${rps(b)} | ${rps(a)} | ${lat(a)} | ${a?.errors ?? '–'} | ` +
        `${r ? `${r.median} (${r.min}–${r.max})` : '–'} | ${a?.peakRssMb?.all ?? '–'} | ${rps(q)} | ${lat(q)} | ${q?.errors ?? '–'} | ` +
        `${ratio(q?.requestsPerSec, a?.requestsPerSec) ?? '–'} |`,
    );
  }
  const storm = (x) => (x?.app ? `${x.app.loginsPerSec} logins/s` : '–');
  lines.push(
    '',
    `Login storm (8 connections of logins beside the reads): one process ${storm(single.readsDuringLoginStorm)}, split ${storm(split.readsDuringLoginStorm)}.`,
    '',
  );
  if (report.commitMs)
    lines.push(
      `One small write transaction on this disk (median): ${report.commitMs.FULL} ms with the store's synchronous = FULL (fsync at every commit), ${report.commitMs.NORMAL} ms with NORMAL (fsync at checkpoints only; under WAL the last commits can be lost on power loss).`,
      '',
    );
  if (report.classic) {
    lines.push(
      '## The classic workload',
      '',
      'Each client loops: log in, search by name, search by category, order two products, view the log of one user, an employee edit; every answer is checked (status 1 and the expected content) during the run.',
      '',
      '| Topology | Clients | Operation | Ops/s | p50 / p99 ms | Wrong answers |',
      '|---|---|---|---|---|---|',
    );
    for (const [topology, byClients] of Object.entries(report.classic))
      for (const [clients, r] of Object.entries(byClients))
        for (const [op, o] of Object.entries(r.operations))
          lines.push(
            `| ${topology} | ${clients} | ${op} | ${o.perSec} | ${o.p50Ms} / ${o.p99Ms} | ${o.errors} |`,
          );
    const sizes = Object.values(report.classic)
      .flatMap((c) => Object.values(c))
      .map((r) => r.logEvents)
      .filter(Boolean);
    if (sizes.length)
      lines.push(
        '',
        `Audit events in the log at the end of the classic runs: ${sizes.join(', ')}.`,
      );
    lines.push('');
  }
  lines.push(...beforeAndAfter(report));
  lines.push(
    '## Targets',
    '',
    '| Target | Measured | Met |',
    '|---|---|---|',
    ...report.targets.map(
      (t) =>
        `| ${t.target} | ${t.measured ?? '–'} | ${t.met === null ? '–' : t.met ? 'met' : 'MISSED'} |`,
    ),
    '',
    'Where the time and memory of a missed target go (CPU profiles of its round, heap experiments): bench/README.md.',
    '',
    '## Peak RSS (MB) per process',
    '',
    '| Topology | Process | Peak RSS over the run (VmHWM) | Highest RSS while measuring |',
    '|---|---|---|---|',
  );
  for (const [topology, t] of Object.entries(report.topologies))
    for (const [label, hwm] of Object.entries(t.peakRssMb)) {
      const during = Math.max(
        ...Object.values(t.scenarios).map((r) => r.app?.peakRssMb?.[label] ?? 0),
      );
      lines.push(`| ${topology} | ${label} | ${hwm} | ${during} |`);
    }
  if (report.baselinePeakRssMb)
    lines.push(`| baseline | baseline | ${report.baselinePeakRssMb} | – |`);
  lines.push(
    '',
    `Search index at start: one process built it from products in ${report.topologies.single?.indexSeconds ?? '–'} s; split loaded it from the search database in ${report.topologies.split?.loadSeconds ?? '–'} s.`,
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function snapshotDist() {
  const dist = DIST;
  if (!fs.existsSync(join(dist, 'main.js'))) {
    log('dist/main.js missing: npm run build');
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('build failed');
  }
  for (let attempt = 0; attempt < 60; attempt++) {
    fs.rmSync(SNAPSHOT, { recursive: true, force: true });
    try {
      fs.cpSync(dist, SNAPSHOT, { recursive: true });
      if (fs.existsSync(join(dist, 'main.js')) && fs.existsSync(join(SNAPSHOT, 'src', 'main.js')))
        return;
    } catch {
      // dist/ is being rebuilt right now
    }
    await sleep(2000);
  }
  throw new Error('could not copy a complete dist/');
}

async function main() {
  // Renders a saved latest.json again (targets re-evaluated), without measuring.
  if (process.env.BENCH_REPORT_FROM) {
    const report = JSON.parse(fs.readFileSync(process.env.BENCH_REPORT_FROM, 'utf8'));
    report.targets = evaluate(report);
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(join(RESULTS, 'latest.md'), markdown(report));
    return;
  }
  const began = Date.now();
  await snapshotDist();
  log(`work dir ${workDir}`);
  const template = await prepareTemplate();
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    config: {
      products: template.total,
      quick: QUICK,
      seconds: SECONDS,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
      dist: DIST,
    },
    topologies: {},
  };
  report.commitMs = commitCost(workDir);
  log(
    `one-row commit: ${report.commitMs.FULL} ms (synchronous FULL), ${report.commitMs.NORMAL} ms (NORMAL)`,
  );
  for (const topology of TOPOLOGIES) {
    log(`topology ${topology}`);
    const dataRoot = join(workDir, topology);
    copyData(template.dir, dataRoot, topology);
    const store = await startStore(topology, dataRoot);
    const waited = await waitIndexed(store, template.total);
    // The store logs how long the build itself took (from the first page read to the commit);
    // the wait above also counts the start of the processes.
    const searchLog = join(workDir, topology === 'single' ? 'single-all.log' : 'split-search.log');
    const built = loggedSeconds(searchLog, template.total);
    const indexSeconds = built ?? waited;
    // The split store starts on the index the one process built: it loads it, not rebuilds it.
    const loadSeconds =
      built === undefined
        ? loggedSeconds(searchLog, template.total, 'search index loaded into memory:')
        : undefined;
    if (loadSeconds !== undefined)
      log(
        `  search index of ${template.total} products loaded from its database in ${loadSeconds} s`,
      );
    else log(`  search indexed ${template.total} products in ${indexSeconds} s`);
    if (topology === 'single') await keepSearchIndex(join(dataRoot, 'all'), template.dir);
    await sleep(1000);
    // The baseline reads the one process's database files while the store runs.
    const baseline = topology === 'single' ? await startBaseline(join(dataRoot, 'all')) : undefined;
    const scenarios = await runScenarios(store, store.procs, template.catalogue, baseline);
    if (wanted('classic')) {
      const token = await login(store, EMPLOYEE);
      store.logSize = async () =>
        (
          await json(`${store.url('logging')}/api/logs?limit=1`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).total;
      report.classic ??= {};
      try {
        report.classic[topology] = await runClassicWorkload(store, {
          catalogue: template.catalogue,
          seconds: SECONDS,
          log,
        });
      } catch (error) {
        // Reported as a failure of the workload; the rest of the run goes on.
        log(`  classic workload failed: ${error.message}`);
        report.classic[topology] = {
          failed: { operations: {}, errors: 1, failures: [error.message] },
        };
      }
    }
    if (baseline) {
      report.baselinePeakRssMb = Math.round(readStatus(baseline.proc.pid, 'VmHWM') / 1048576);
      await stopProc(baseline.proc);
    }
    const peakRssMb = Object.fromEntries(
      Object.entries(store.procs).map(([label, p]) => [
        label,
        Math.round(readStatus(p.pid, 'VmHWM') / 1048576),
      ]),
    );
    for (const p of Object.values(store.procs)) await stopProc(p);
    report.topologies[topology] = {
      indexSeconds: built === undefined ? undefined : indexSeconds,
      loadSeconds,
      scenarios,
      peakRssMb,
    };
  }
  report.targets = evaluate(report);
  report.totalSeconds = Math.round((Date.now() - began) / 1000);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(join(RESULTS, 'latest.md'), markdown(report));
  log(`done in ${report.totalSeconds} s: bench/results/latest.md`);
  console.log(markdown(report));
}

/**
 * A copy of the search database the one process has just built, before any scenario changes the
 * catalogue, for the next topology to start from (SQLite's online backup: consistent while the
 * store runs).
 */
async function keepSearchIndex(from, template) {
  const db = new Database(join(from, 'search.sqlite'), { readonly: true, fileMustExist: true });
  try {
    await db.backup(join(template, 'search.sqlite'));
  } finally {
    db.close();
  }
}

async function cleanup() {
  await Promise.all([...running].map(stopProc));
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  if (process.env.BENCH_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
  else log(`kept ${workDir}`);
}

/** The machine a run measured on, for its report. */
function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim(), node: process.version };
}

/** Runs `body`, then stops every process and removes the temp data; exits with its outcome. */
function runToEnd(body) {
  process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
  body().then(
    () => cleanup().then(() => process.exit(0)),
    (error) => {
      console.error(error);
      cleanup().then(() => process.exit(1));
    },
  );
}

// The peer comparison (bench/peers.js) runs the store as this file does.
module.exports = {
  CUSTOMER,
  HOST,
  ORDERABLE,
  RESULTS,
  ROUNDS,
  SECONDS,
  WARMUP,
  cannon,
  combine,
  freePort,
  json,
  log,
  login,
  machine,
  median,
  roundRatios,
  prepareTemplate,
  readStatus,
  round2,
  rssSampler,
  runToEnd,
  sleep,
  snapshotDist,
  spawnLogged,
  startStore,
  stopProc,
  summarize,
  waitHealthy,
  waitIndexed,
  workDir,
};

if (require.main === module) {
  if (process.env.BENCH_PEERS) runToEnd(require('./peers').comparePeers);
  else runToEnd(main);
}
