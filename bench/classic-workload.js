'use strict';
/**
 * The workload of the original five Flask services, through the classic profile: each client loops
 * log in, search by name, search by category, order two products, view its own log, and an
 * employee edit, checking every answer as it goes (status 1 and the expected content: the product
 * found by its name, the whole category, the order's cost, the order in the log right after it,
 * read-your-writes). Run at 8 and 32 clients; reports ops/s and p50/p99 per operation.
 */
const { randomUUID } = require('node:crypto');

const PASSWORD = 'ClassicBench-2026';
const CATEGORY = 'Bench Classic';
const ORDERABLE = 12; // never edited: their prices are known
const EDITABLE = 12;

function classicToken(body) {
  if (body?.status !== 1 || typeof body.jwt !== 'string') throw new Error('login refused');
  return body.jwt;
}

async function call(base, method, path, { token, form } = {}) {
  const headers = {};
  if (token) headers.authorization = token;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;

/** Creates the workload's accounts and products (once per store), then runs 8 and 32 clients. */
async function runClassicWorkload(store, { seconds, log, clientCounts = [8, 32] }) {
  const url = store.classicUrl;
  const tag = randomUUID().slice(0, 6);
  log(`  classic workload: setting up (accounts, ${ORDERABLE + EDITABLE} products)`);
  const employeeToken = classicToken(
    await call(url('users'), 'POST', '/login', {
      form: { username: 'manager', password: 'FreshBasket-2026' },
    }),
  );
  const prices = [];
  const names = [];
  for (let i = 0; i < ORDERABLE + EDITABLE; i++) {
    const name = `Classic ${tag} item ${i}`;
    const price = (1 + i * 0.25).toFixed(2);
    const created = await call(url('products'), 'POST', '/create_product', {
      token: employeeToken,
      form: { name, price, category: CATEGORY },
    });
    if (created.status !== 1) throw new Error(`create_product ${name}: ${JSON.stringify(created)}`);
    names.push(name);
    prices.push(Math.round(Number(price) * 100));
  }
  const maxClients = Math.max(...clientCounts);
  const accounts = [];
  for (let c = 0; c < maxClients; c++) {
    const username = `classic_${tag}_${c}`;
    const made = await call(url('users'), 'POST', '/create_user', {
      form: {
        first_name: 'Grace',
        last_name: 'Hopper',
        username,
        email_address: `${username}@example.com`,
        password: PASSWORD,
        salt: 'bench',
        employee: 'False',
      },
    });
    if (made.status !== 1) throw new Error(`create_user ${username}: ${JSON.stringify(made)}`);
    accounts.push(username);
  }

  const results = {};
  for (const clients of clientCounts) {
    log(`  classic workload: ${clients} clients for ${seconds} s`);
    const times = {};
    const errors = {};
    const failures = [];
    const OPS = ['login', 'searchName', 'searchCategory', 'order', 'viewLog', 'employeeEdit'];
    for (const op of OPS) {
      times[op] = [];
      errors[op] = 0;
    }
    const timed = async (op, work) => {
      const began = performance.now();
      try {
        await work();
        times[op].push(performance.now() - began);
      } catch (error) {
        errors[op]++;
        if (failures.length < 5) failures.push(`${op}: ${error.message}`);
      }
    };
    const check = (ok, what) => {
      if (!ok) throw new Error(what);
    };
    const deadline = Date.now() + seconds * 1000;
    const client = async (c) => {
      const username = accounts[c];
      for (let loop = 0; Date.now() < deadline; loop++) {
        let token;
        await timed('login', async () => {
          token = classicToken(
            await call(url('users'), 'POST', '/login', { form: { username, password: PASSWORD } }),
          );
        });
        if (!token) continue;
        const a = (c + loop) % ORDERABLE;
        const b = (c + loop + 5) % ORDERABLE;
        await timed('searchName', async () => {
          const r = await call(
            url('search'),
            'GET',
            `/search?product_name=${encodeURIComponent(names[a])}`,
            { token },
          );
          check(r.status === 1 && r.data?.[0]?.product_name === names[a], 'wrong name search');
        });
        await timed('searchCategory', async () => {
          const r = await call(
            url('search'),
            'GET',
            `/search?category=${encodeURIComponent(CATEGORY)}`,
            { token },
          );
          check(
            r.status === 1 &&
              r.data.length === ORDERABLE + EDITABLE &&
              r.data.every((p) => p.category === 'bench-classic'),
            'wrong category search',
          );
        });
        await timed('order', async () => {
          const r = await call(url('orders'), 'POST', '/order', {
            token,
            form: {
              order: JSON.stringify([
                { product: names[a], quantity: 1 },
                { product: names[b], quantity: 2 },
              ]),
            },
          });
          const cost = ((prices[a] + 2 * prices[b]) / 100).toFixed(2);
          check(r.status === 1 && r.cost === cost, `order cost ${r.cost}, expected ${cost}`);
        });
        await timed('viewLog', async () => {
          const r = await call(url('logging'), 'GET', `/view_log?username=${username}`, { token });
          const events = Object.values(r.data ?? {});
          const last = events[events.length - 1];
          // Read-your-writes: the order just placed is the newest event.
          check(r.status === 1 && last?.event === 'order' && last.user === username, 'log');
        });
        await timed('employeeEdit', async () => {
          const e = ORDERABLE + ((c + loop) % EDITABLE);
          const r = await call(url('products'), 'POST', '/edit_product', {
            token: employeeToken,
            form: { name: names[e], new_price: (2 + ((loop + c) % 50) / 10).toFixed(2) },
          });
          check(r.status === 1, `edit status ${r.status}`);
        });
      }
    };
    const began = Date.now();
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
    const elapsed = (Date.now() - began) / 1000;
    const operations = {};
    let total = 0;
    for (const op of OPS) {
      const sorted = times[op].sort((x, y) => x - y);
      total += errors[op];
      operations[op] = {
        perSec: Math.round((sorted.length / elapsed) * 10) / 10,
        p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
        p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
        count: sorted.length,
        errors: errors[op],
      };
    }
    const logEvents = await store.logSize?.();
    results[`${clients} clients`] = { operations, errors: total, failures, logEvents };
    log(
      `    ${OPS.map((op) => `${op} ${operations[op].perSec}/s p99 ${operations[op].p99Ms}`).join(', ')}; wrong answers ${total}`,
    );
    if (failures.length) log(`    first failures: ${failures.join(' | ')}`);
  }
  return results;
}

module.exports = { runClassicWorkload };
