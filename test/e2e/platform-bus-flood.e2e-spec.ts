import { readdirSync } from 'node:fs';
import { Socket, connect as netConnect } from 'node:net';
import { DEMO, login } from '../support/accounts';
import { createProduct } from '../support/catalogue';
import { busRpcClient } from '../support/bus';
import { eventually } from '../support/platform';
import { parseMetrics, total } from '../support/prometheus';
import { Store } from '../support/store';

/**
 * A flood of connections to a module's bus port that never finish the TLS handshake (nothing
 * sent, or a TLS record header and two bytes), from one address, as anyone who can reach the
 * port could send. The listener holds at most BUS_MAX_CONNECTIONS_PER_ADDRESS of them at once,
 * closes each when its handshake times out, and the process's open files come back to where they
 * were; meanwhile the store's own calls (orders reserving stock, a new connection from another
 * address) go through.
 */

jest.setTimeout(180_000);

const HANDSHAKE_TIMEOUT_MS = 2000;
const PER_ADDRESS = 64;
const FLOOD = 3000;
/** The flood's address: another host as far as the listener can tell (all of 127/8 is loopback). */
const FLOODER = '127.0.0.2';

const openFiles = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** A TLS record header (handshake, TLS 1.0 framing, 512 bytes announced) and two bytes of it. */
const PARTIAL_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]);

describe('the bus under a flood of stalled handshakes (split)', () => {
  let store: Store;
  let customer: string;
  let manager: string;

  beforeAll(async () => {
    store = await Store.start('split', {
      env: { BUS_FRAME_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS) },
    });
    manager = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await login(store, DEMO.customer.username, DEMO.customer.password)).accessToken;
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  }, 30_000);

  /**
   * Opens `count` stalled connections to `port`, a few at a time; resolves once the listener has
   * closed them all, or gives up on the stragglers (never accepted) after `giveUpMs`.
   */
  async function flood(port: number, count: number, giveUpMs: number): Promise<{ opened: number }> {
    let opened = 0;
    const sockets: Socket[] = [];
    const closed: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const socket: Socket = netConnect({ port, host: '127.0.0.1', localAddress: FLOODER });
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.on('connect', () => {
        opened++;
        if (i % 2 === 1) socket.write(PARTIAL_HELLO);
      });
      closed.push(new Promise<void>((done) => socket.on('close', () => done())));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((r) => (timer = setTimeout(r, giveUpMs))),
    ]);
    clearTimeout(timer);
    sockets.forEach((socket) => socket.destroy());
    return { opened };
  }

  it('closes every stalled connection, never holds more than the per-address cap, and orders go through meanwhile', async () => {
    const pid = store.pid('products') as number;
    const port = store.tcpPort('products');
    const productId = await createProduct(store, manager, 50);
    // The store's own connections are open before the flood, as in a running store.
    const warm = await store.request('orders', 'POST', '/api/orders', {
      token: customer,
      body: { items: [{ productId, quantity: 1 }] },
    });
    expect(warm.status).toBe(201);
    const baseline = openFiles(pid);

    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, openFiles(pid))), 25);
    const flooding = flood(port, FLOOD, HANDSHAKE_TIMEOUT_MS + 20_000);

    // Orders during the flood: orders reserves stock on products over the bus.
    const placed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await store.request('orders', 'POST', '/api/orders', {
        token: customer,
        body: { items: [{ productId, quantity: 1 }] },
      });
      placed.push(res.status);
      await new Promise((r) => setTimeout(r, 200));
    }
    // A new connection from another address gets through too.
    const client = busRpcClient(store, 'products');
    try {
      const reply = await client.send<{ items: Array<{ stock: number }> }>('products.get_many', {
        ids: [productId],
      });
      expect(reply.items[0].stock).toBe(44);
    } finally {
      client.close();
    }
    const { opened } = await flooding;
    clearInterval(sampler);

    expect(placed).toEqual([201, 201, 201, 201, 201]);
    expect(opened).toBeGreaterThan(FLOOD / 2);
    // The held connections never went past the cap (a few files of the store's own work aside).
    expect(peak).toBeLessThanOrEqual(baseline + PER_ADDRESS + 50);
    // Every stalled connection is gone within the handshake timeout (plus the test's own slack).
    const settled = await eventually(
      () => {
        const now = openFiles(pid);
        return now <= baseline + 2 ? now : undefined;
      },
      'the open files of products to come back to where they were',
      HANDSHAKE_TIMEOUT_MS + 5000,
    );
    expect(settled).toBeLessThanOrEqual(baseline + 2);

    const metrics = parseMetrics((await store.request<string>('products', 'GET', '/metrics')).text);
    const refused = (reason: string) =>
      total(metrics, 'bus_connections_refused_total', { module: 'products', reason });
    expect(refused('address_full')).toBeGreaterThan(0);
    expect(refused('handshake_timeout')).toBeGreaterThan(0);
    // The refusals are summed up in the log, not written once each.
    const lines = store
      .logLines('products')
      .filter((line) => String(line.msg).startsWith('bus products: refused a connection'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(20);
  });
});
