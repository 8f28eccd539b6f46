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
const LOW = 10_000;
const HIGH = Math.max(LOW + 1000, EPHEMERAL_LOW);

function tryListen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Ports that are free right now, all distinct, outside the ephemeral range. */
export async function freePorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  const ports = new Set<number>();
  while (ports.size < count) {
    const candidate = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (ports.has(candidate)) continue;
    const server = await tryListen(candidate);
    if (!server) continue;
    held.push(server);
    ports.add(candidate);
  }
  await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  return [...ports];
}
