import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';

/**
 * Ports below the kernel's ephemeral range: a port handed out by `listen(0)` comes from that
 * range, and between our probe and the child process binding it, any outgoing connection (the
 * processes under test open many) may take it as its local port: EADDRINUSE. Ports from here
 * are never picked by the kernel on its own.
 */
const [EPHEMERAL_LOW] = (() => {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
  } catch {
    return [32768];
  }
})();
const FIRST = 10_000;
const LAST = Math.max(FIRST + 1000, EPHEMERAL_LOW);

/**
 * Each Jest worker draws from its own slice of that range: suites of different workers run at
 * the same time, and a port one of them probed and let go could otherwise be bound by another
 * worker's process before its own child binds it. (Up to 8 workers get a slice each.)
 */
const SLICES = 8;
const slice = (Math.max(1, Number(process.env.JEST_WORKER_ID ?? 1)) - 1) % SLICES;
const SPAN = Math.floor((LAST - FIRST) / SLICES);
const LOW = FIRST + slice * SPAN;
const HIGH = LOW + SPAN;

function tryListen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Every port handed out in this suite: a suite that picks ports for its own use (classic ports,
 * a peer's address) and then starts a store must not see the store pick the same ones, free again
 * only because nothing has bound them yet.
 */
const handedOut = new Set<number>();

/** The Fetch standard's "bad ports" in the range: fetch() refuses them without connecting. */
const FETCH_BLOCKED = new Set([10080]);

/** Ports that are free right now, all distinct, outside the ephemeral range, never handed out before. */
export async function freePorts(count: number): Promise<number[]> {
  // A suite that used half its slice starts over rather than run out of candidates.
  if (handedOut.size + count > SPAN / 2) handedOut.clear();
  const held: Server[] = [];
  const ports = new Set<number>();
  while (ports.size < count) {
    const candidate = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (ports.has(candidate) || handedOut.has(candidate) || FETCH_BLOCKED.has(candidate)) continue;
    const server = await tryListen(candidate);
    if (!server) continue;
    held.push(server);
    ports.add(candidate);
  }
  await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  for (const port of ports) handedOut.add(port);
  return [...ports];
}
