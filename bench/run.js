'use strict';
/**
 * npm run bench: seeds 100,000 products, starts the store on loopback in each topology (one
 * process; five processes over TCP) and the raw Fastify baseline, warms up, measures every scenario
 * with autocannon for a fixed time, stops everything and writes bench/results/latest.{md,json}.
 *
 * Environment: BENCH_SECONDS (measure, default 10), BENCH_WARMUP_SECONDS (default 3),
 * BENCH_PRODUCTS (default 100000), BENCH_TOPOLOGIES (default "single,split"), BENCH_KEEP=1 keeps
 * the temp data and logs, BENCH_PROFILE=1 runs the store with --cpu-prof (profiles in the temp dir),
 * BENCH_SCENARIOS picks scenarios (e.g. "productById,search"), BENCH_STORE_ENV adds store env (JSON).
 */
const autocannon = require('autocannon');
const Database = require('better-sqlite3');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { join, resolve } = require('node:path');
const { generateCatalogue, SEARCH_QUERIES, CATEGORIES } = require('./catalogue');

const ROOT = resolve(__dirname, '..');
// The store runs from a private copy of dist/ (under node_modules, so packages resolve): a rebuild
// of dist/ while the bench runs cannot break it.
const SNAPSHOT = join(ROOT, 'node_modules', '.cache', 'mfm-bench', `dist-${process.pid}`);
const ENTRY = join(SNAPSHOT, 'main.js');
const RESULTS = join(__dirname, 'results');
const HOST = '127.0.0.1';
const MODULES = ['users', 'products', 'search', 'orders', 'logging'];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PRODUCT_COUNT = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const TOPOLOGIES = (process.env.BENCH_TOPOLOGIES ?? 'single,split').split(',');
const PROFILE = process.env.BENCH_PROFILE === '1';
const ONLY = process.env.BENCH_SCENARIOS?.split(','); // e.g. "productById,search" (profiling)
const wanted = (name) => !ONLY || ONLY.includes(name);
const ORDERABLE = 300; // products with ample stock for the order scenario
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

/** Starts the store; returns { procs, url(module) }. */
async function startStore(topology, dataRoot) {
  const ports = await freePorts(1 + MODULES.length * 2);
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
    // Experiments only, e.g. BENCH_STORE_ENV='{"LOG_LEVEL":"warn"}'; the published figures use none.
    ...JSON.parse(process.env.BENCH_STORE_ENV ?? '{}'),
  };
  MODULES.forEach((module, i) => {
    const prefix = module.toUpperCase();
    shared[`${prefix}_HOST`] = HOST;
    shared[`${prefix}_HTTP_PORT`] = String(ports[1 + i]);
    shared[`${prefix}_TCP_PORT`] = String(ports[1 + MODULES.length + i]);
  });
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
  return { procs, url: (module) => `http://${HOST}:${portOf[module]}` };
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
  // An empty search index rebuilds itself from products on start.
  for (const suffix of ['', '-wal', '-shm'])
    fs.rmSync(join(all, `search.sqlite${suffix}`), { force: true });
  log(`seeded ${catalogue.length} products (${total} live in total)`);
  return { dir: all, catalogue, total };
}

function copyData(template, dataRoot, topology) {
  const files = fs.readdirSync(template).filter((f) => f.endsWith('.sqlite'));
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
    await sleep(500);
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

async function measure(name, procs, opts) {
  log(`  ${name}: warm-up ${WARMUP}s, measure ${SECONDS}s`);
  if (WARMUP > 0) await cannon({ ...opts, duration: WARMUP });
  const stop = rssSampler(procs);
  const result = await cannon({ ...opts, duration: SECONDS });
  const summary = { ...summarize(result, SECONDS), peakRssMb: stop() };
  log(
    `    ${summary.requestsPerSec} req/s, p50 ${summary.latencyP50Ms} ms, p99 ${summary.latencyP99Ms} ms, errors ${summary.errors}`,
  );
  return summary;
}

/** Rotates through `make(i)` for each request. */
function rotating(make) {
  let i = 0;
  return [{ setupRequest: (req) => ({ ...req, ...make(i++) }) }];
}

async function runScenarios(store, procs, catalogue) {
  const employee = await login(store, EMPLOYEE);
  const customer = await login(store, CUSTOMER);
  const ids = catalogue.map((p) => p.id);
  const pick = (i, from, span) => ids[from + ((i * 7919) % span)];
  const scenarios = {};

  if (wanted('productById'))
    scenarios.productById = await measure('product by id', procs, {
      url: store.url('products'),
      connections: 32,
      requests: rotating((i) => ({
        method: 'GET',
        path: `/api/products/${pick(i, 0, ids.length)}`,
      })),
    });
  if (wanted('catalogue'))
    scenarios.catalogue = await measure('catalogue page with a filter', procs, {
      url: store.url('products'),
      connections: 32,
      requests: rotating((i) => ({
        method: 'GET',
        path: `/api/products?category=${CATEGORIES[i % CATEGORIES.length]}&page=${1 + (i % 5)}`,
      })),
    });
  if (wanted('search'))
    scenarios.search = await measure('search over the catalogue', procs, {
      url: store.url('search'),
      connections: 32,
      requests: rotating((i) => ({
        method: 'GET',
        path: `/api/search?q=${encodeURIComponent(SEARCH_QUERIES[i % SEARCH_QUERIES.length])}`,
      })),
    });
  if (wanted('login'))
    scenarios.login = await measure('login', procs, {
      url: store.url('users'),
      connections: 8,
      requests: rotating((i) => ({
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(i % 2 ? CUSTOMER : EMPLOYEE),
      })),
    });
  // Product reads at a steady rate while logins saturate the password hash.
  if (wanted('readsDuringLoginStorm')) await loginStorm();
  async function loginStorm() {
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
    scenarios.readsDuringLoginStorm = {
      ...summarize(reads, SECONDS),
      loginsPerSec: summarize(storm, SECONDS).requestsPerSec,
      loginErrors: summarize(storm, SECONDS).errors,
      peakRssMb: stopRss(),
    };
    log(
      `    reads p99 ${reads.latency.p99} ms at ${scenarios.readsDuringLoginStorm.requestsPerSec} req/s, logins ${scenarios.readsDuringLoginStorm.loginsPerSec}/s`,
    );
  }
  if (wanted('employeeEdit'))
    scenarios.employeeEdit = await measure('employee product edit', procs, {
      url: store.url('products'),
      connections: 16,
      requests: rotating((i) => ({
        method: 'PATCH',
        path: `/api/products/${pick(i, ORDERABLE, ids.length - ORDERABLE)}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${employee}` },
        body: JSON.stringify({ priceCents: 100 + (i % 900) }),
      })),
    });
  if (wanted('placeOrder'))
    scenarios.placeOrder = await measure('place an order of three lines', procs, {
      url: store.url('orders'),
      connections: 16,
      requests: rotating((i) => ({
        method: 'POST',
        path: '/api/orders',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
        body: JSON.stringify({
          items: [0, 1, 2].map((k) => ({
            productId: ids[(i * 3 + k) % ORDERABLE],
            quantity: 1 + k,
          })),
        }),
      })),
    });
  if (wanted('auditQuery'))
    scenarios.auditQuery = await measure('audit log query for a user', procs, {
      url: store.url('logging'),
      connections: 32,
      requests: rotating((i) => ({
        method: 'GET',
        path: `/api/logs?username=${i % 2 ? 'customer' : 'manager'}`,
        headers: { authorization: `Bearer ${employee}` },
      })),
    });
  return scenarios;
}

async function runBaseline(dataDir, catalogue) {
  const port = await freePort();
  const proc = spawnLogged(
    'baseline',
    [join(__dirname, 'baseline', 'server.js'), dataDir, String(port)],
    { PATH: process.env.PATH, HOME: process.env.HOME },
    join(workDir, 'baseline.log'),
  );
  const url = `http://${HOST}:${port}`;
  const procs = { baseline: proc };
  try {
    await waitHealthy(proc, url);
    const ids = catalogue.map((p) => p.id);
    const productById = !wanted('productById')
      ? undefined
      : await measure('baseline product by id', procs, {
          url,
          connections: 32,
          requests: rotating((i) => ({
            method: 'GET',
            path: `/api/products/${ids[(i * 7919) % ids.length]}`,
          })),
        });
    const search = !wanted('search')
      ? undefined
      : await measure('baseline search', procs, {
          url,
          connections: 32,
          requests: rotating((i) => ({
            method: 'GET',
            path: `/api/search?q=${encodeURIComponent(SEARCH_QUERIES[i % SEARCH_QUERIES.length])}`,
          })),
        });
    return {
      productById,
      search,
      peakRssMb: { baseline: Math.round(readStatus(proc.pid, 'VmHWM') / 1048576) },
    };
  } finally {
    await stopProc(proc);
  }
}

// ---------------------------------------------------------------- report

const SCENARIOS = [
  ['productById', 'Product by id (GET /api/products/:id)'],
  ['catalogue', 'Catalogue page, category filter (GET /api/products?category=)'],
  ['search', 'Search, 100k products (GET /api/search?q=)'],
  ['login', 'Login (POST /api/auth/login)'],
  ['readsDuringLoginStorm', 'Product reads during a login storm (200 req/s)'],
  ['employeeEdit', 'Employee product edit (PATCH /api/products/:id)'],
  ['placeOrder', 'Place an order, 3 lines (POST /api/orders)'],
  ['auditQuery', 'Audit log for a user (GET /api/logs?username=)'],
];

const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);

function evaluate(report) {
  const s = report.topologies.single?.scenarios ?? {};
  const p = report.topologies.split?.scenarios ?? {};
  const b = report.baseline ?? {};
  const targets = [];
  const add = (target, measured, met) =>
    targets.push({
      target,
      measured,
      met: measured === null || measured === undefined ? null : met,
    });
  const r1 = ratio(s.productById?.requestsPerSec, b.productById?.requestsPerSec);
  add('One process ≥ 0.6× baseline req/s, product by id', r1, r1 >= 0.6);
  const r2 = ratio(s.search?.requestsPerSec, b.search?.requestsPerSec);
  add('One process ≥ 0.6× baseline req/s, search', r2, r2 >= 0.6);
  const r3 = ratio(p.employeeEdit?.requestsPerSec, s.employeeEdit?.requestsPerSec);
  add('Split ≥ 0.5× one process, employee edit', r3, r3 >= 0.5);
  add(
    'Search p99 ≤ 20 ms at 32 connections, one process (ms)',
    s.search?.latencyP99Ms,
    s.search?.latencyP99Ms <= 20,
  );
  for (const [topology, scenarios] of [
    ['one process', s],
    ['split', p],
  ]) {
    const storm = scenarios.readsDuringLoginStorm;
    if (storm)
      add(
        `Product reads p99 ≤ 50 ms during a login storm, ${topology} (ms; ${storm.loginsPerSec} logins/s)`,
        storm.latencyP99Ms,
        storm.latencyP99Ms <= 50,
      );
  }
  const errors = [];
  for (const [topology, scenarios] of Object.entries(report.topologies))
    for (const [name, r] of Object.entries(scenarios.scenarios))
      errors.push(
        r.errors + (r.loginErrors ?? 0) &&
          `${topology}/${name}: ${r.errors + (r.loginErrors ?? 0)}`,
      );
  for (const [name, r] of Object.entries(b))
    if (r?.errors) errors.push(`baseline/${name}: ${r.errors}`);
  const failed = errors.filter(Boolean);
  add('Zero errors in every scenario', failed.length ? failed.join(', ') : 0, failed.length === 0);
  return targets;
}

function markdown(report) {
  const s = report.topologies.single?.scenarios ?? {};
  const p = report.topologies.split?.scenarios ?? {};
  const b = report.baseline ?? {};
  const cell = (r) =>
    r ? `${r.requestsPerSec} | ${r.latencyP50Ms} / ${r.latencyP99Ms} | ${r.errors}` : '– | – | –';
  const lines = [
    `# Benchmark results`,
    '',
    `${report.date} · ${report.machine.cpus}× ${report.machine.cpuModel} · Node ${report.machine.node} · ` +
      `${report.config.products} products · ${report.config.warmupSeconds} s warm-up + ${report.config.seconds} s per scenario · loopback only`,
    '',
    '| Scenario | Conn. | Baseline req/s | One process req/s | p50 / p99 ms | Errors | Split req/s | p50 / p99 ms | Errors | One process / baseline | Split / one process |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, label] of SCENARIOS) {
    const base = b[key]?.requestsPerSec;
    lines.push(
      `| ${label} | ${(s[key] ?? p[key])?.connections ?? '–'} | ${base ?? '–'} | ${cell(s[key])} | ${cell(p[key])} | ${ratio(s[key]?.requestsPerSec, base) ?? '–'} | ${ratio(p[key]?.requestsPerSec, s[key]?.requestsPerSec) ?? '–'} |`,
    );
  }
  const storm = (x) => (x ? `${x.loginsPerSec} logins/s` : '–');
  lines.push(
    '',
    `Login storm (8 connections of logins beside the reads): one process ${storm(s.readsDuringLoginStorm)}, split ${storm(p.readsDuringLoginStorm)}.`,
    '',
    '## Targets',
    '',
    '| Target | Measured | Met |',
    '|---|---|---|',
    ...report.targets.map(
      (t) => `| ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'met' : 'MISSED'} |`,
    ),
    '',
    '## Peak RSS (MB) per process',
    '',
    '| Topology | Process | Peak RSS over the run (VmHWM) | Highest RSS while measuring |',
    '|---|---|---|---|',
  );
  for (const [topology, t] of Object.entries(report.topologies))
    for (const [label, hwm] of Object.entries(t.peakRssMb)) {
      const during = Math.max(...Object.values(t.scenarios).map((r) => r.peakRssMb?.[label] ?? 0));
      lines.push(`| ${topology} | ${label} | ${hwm} | ${during} |`);
    }
  if (b.peakRssMb) lines.push(`| baseline | baseline | ${b.peakRssMb.baseline} | – |`);
  lines.push(
    '',
    `Search index build from products at start: one process ${report.topologies.single?.indexSeconds ?? '–'} s, split ${report.topologies.split?.indexSeconds ?? '–'} s.`,
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function snapshotDist() {
  const dist = join(ROOT, 'dist');
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
  const began = Date.now();
  await snapshotDist();
  log(`work dir ${workDir}`);
  const template = await prepareTemplate();
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model?.trim(),
      node: process.version,
    },
    config: { products: template.total, seconds: SECONDS, warmupSeconds: WARMUP },
    topologies: {},
  };
  for (const topology of TOPOLOGIES) {
    log(`topology ${topology}`);
    const dataRoot = join(workDir, topology);
    copyData(template.dir, dataRoot, topology);
    const store = await startStore(topology, dataRoot);
    const indexSeconds = await waitIndexed(store, template.total);
    log(`  search indexed ${template.total} products in ${indexSeconds} s`);
    await sleep(1000);
    const scenarios = await runScenarios(store, store.procs, template.catalogue);
    const peakRssMb = Object.fromEntries(
      Object.entries(store.procs).map(([label, p]) => [
        label,
        Math.round(readStatus(p.pid, 'VmHWM') / 1048576),
      ]),
    );
    for (const p of Object.values(store.procs)) await stopProc(p);
    report.topologies[topology] = { indexSeconds, scenarios, peakRssMb };
    if (topology === 'single') {
      log('baseline (raw Fastify + better-sqlite3) on the same database files');
      report.baseline = await runBaseline(join(dataRoot, 'all'), template.catalogue);
    }
  }
  report.targets = evaluate(report);
  report.totalSeconds = Math.round((Date.now() - began) / 1000);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(join(RESULTS, 'latest.md'), markdown(report));
  log(`done in ${report.totalSeconds} s: bench/results/latest.md`);
  console.log(markdown(report));
}

async function cleanup() {
  await Promise.all([...running].map(stopProc));
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  if (process.env.BENCH_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
  else log(`kept ${workDir}`);
}

process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
main().then(
  () => cleanup().then(() => process.exit(0)),
  (error) => {
    console.error(error);
    cleanup().then(() => process.exit(1));
  },
);
