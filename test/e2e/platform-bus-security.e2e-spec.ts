import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Server, Socket, connect as netConnect, createServer } from 'node:net';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { issueBusCredentials } from '@mfm/platform/bus/bus-certificates';
import { createProduct, stockOf, auditEventsOfType } from '../support/catalogue';
import { DEMO, login } from '../support/accounts';
import { busRpcClient, storeBusCredentials } from '../support/bus';
import { eventually } from '../support/platform';
import { Module, Store } from '../support/store';

/**
 * The internal bus in split mode answers only the store's own modules: a frame from a socket
 * without a certificate of the bus CA, with a certificate of another CA, or replayed from a
 * recording of a real call is never executed, and its connection is closed. A peer with a valid
 * certificate is still held to the frame limits.
 */

jest.setTimeout(120_000);

const FRAME_TIMEOUT_MS = 1500;
const WAIT_FOR_CLOSE_MS = 30_000;
const MiB = 1024 * 1024;

/** A Nest TCP frame: `<length>#<json>`. */
const frame = (message: object): Buffer => {
  const json = JSON.stringify(message);
  return Buffer.from(`${json.length}#${json}`);
};

interface Outcome {
  /** Everything the listener sent back. */
  received: Buffer;
  /** The listener closed the connection (we never did). */
  closed: boolean;
  /** The subject CN of the certificate the listener showed (TLS only, when the handshake got that far). */
  serverName?: string;
}

/** Writes `bytes` on a fresh socket and waits for the listener to close it (or gives up). */
function exchange(
  socket: Socket,
  bytes: Buffer,
  writeOn: 'connect' | 'secureConnect',
): Promise<Outcome> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let serverName: string | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(received), closed: false, serverName });
    }, WAIT_FOR_CLOSE_MS);
    socket.on(writeOn, () => {
      if (socket instanceof TLSSocket) serverName = String(socket.getPeerCertificate().subject?.CN);
      socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined); // a reset or a TLS alert: the close says it all
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(received), closed: true, serverName });
    });
  });
}

/** A Nest reply frame anywhere in what came back means the listener executed something. */
const holdsReply = (bytes: Buffer): boolean => /\d+#\{/.test(bytes.toString('latin1'));

/** A TCP proxy in front of a listener that keeps every byte the client sent. */
async function recordingProxy(targetPort: number): Promise<{
  port: number;
  clientBytes: () => Buffer;
  /** Resolves once a client connection has closed (so its recording is complete). */
  clientClosed: Promise<void>;
  close: () => Promise<void>;
}> {
  const recorded: Buffer[] = [];
  const sockets = new Set<Socket>();
  let onClientClosed: () => void = () => undefined;
  const clientClosed = new Promise<void>((done) => (onClientClosed = done));
  const server: Server = createServer((client) => {
    client.on('close', () => onClientClosed());
    const upstream = netConnect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      recorded.push(Buffer.from(chunk));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    clientBytes: () => Buffer.concat(recorded),
    clientClosed,
    close: () =>
      new Promise<void>((done) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => done());
      }),
  };
}

/** Resident memory of a process, from /proc (Linux), in kB. */
function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

describe('the internal bus answers only the store (split)', () => {
  let store: Store;
  let manager: string;

  beforeAll(async () => {
    store = await Store.start('split', { env: { BUS_FRAME_TIMEOUT_MS: String(FRAME_TIMEOUT_MS) } });
    manager = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  }, 30_000);

  /** Message patterns a module ran for this caller, from its own `rpc <pattern> ok|error` log lines. */
  const handledSoFar = (module: Module, caller: string): string[] =>
    store
      .logLines(module)
      .filter((line) => line.caller === caller)
      .map((line) => String(line.pattern));

  /**
   * The same, once the module's log has caught up: a module's log reaches the test through a
   * pipe, so a marker call is made and awaited first; whatever the module ran before it is there.
   */
  async function handled(module: Module, caller: string): Promise<string[]> {
    const marker = `marker-${randomUUID()}`;
    const client = busRpcClient(store, module, { caller: marker });
    try {
      await client.send(`${module}.ping`, {});
    } finally {
      client.close();
    }
    await eventually(() => handledSoFar(module, marker).length > 0, `${module} to log the marker`);
    return handledSoFar(module, caller);
  }

  /** A forged reservation and a forged audit event, each naming `caller` in its envelope. */
  function forgeries(caller: string, productId: string, eventType: string) {
    return [
      {
        module: 'products' as const,
        bytes: frame({
          pattern: 'products.reserve_stock',
          data: {
            meta: { caller },
            payload: {
              reservationId: `forged-${randomUUID()}`,
              items: [{ productId, quantity: 3 }],
            },
          },
          id: randomUUID(),
        }),
      },
      {
        module: 'logging' as const,
        bytes: frame({
          pattern: 'logging.record',
          data: {
            meta: { caller },
            payload: {
              eventId: randomUUID(),
              type: eventType,
              subject: { kind: 'product', id: productId, name: 'forged' },
              occurredAt: new Date().toISOString(),
            },
          },
          id: randomUUID(),
        }),
      },
    ];
  }

  it('a plain TCP frame (no certificate) is never executed: no stock taken, no event, connection closed', async () => {
    const productId = await createProduct(store, manager, 5);
    const outcomes = await Promise.all(
      forgeries('forger-plain', productId, 'forged_plain').map(async ({ module, bytes }) => {
        const socket = netConnect(store.tcpPort(module), '127.0.0.1');
        const outcome = await exchange(socket, bytes, 'connect');
        return { module, closed: outcome.closed, replied: holdsReply(outcome.received) };
      }),
    );
    expect(await stockOf(store, productId)).toBe(5);
    expect(await auditEventsOfType(store, manager, 'forged_plain')).toEqual([]);
    expect(await handled('products', 'forger-plain')).toEqual([]);
    expect(await handled('logging', 'forger-plain')).toEqual([]);
    expect(outcomes).toEqual([
      { module: 'products', closed: true, replied: false },
      { module: 'logging', closed: true, replied: false },
    ]);
  });

  it('a frame from a client with a certificate of another CA is never executed and its connection is closed', async () => {
    const productId = await createProduct(store, manager, 5);
    const foreign = await issueBusCredentials({ modules: ['orders'], caLabel: 'foreign' });
    const storeCa = storeBusCredentials(store).ca;
    for (const { module, bytes } of forgeries('forger-foreign', productId, 'forged_foreign')) {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: store.tcpPort(module),
        servername: module,
        ca: storeCa, // the forger trusts the store: only its own certificate is wrong
        cert: foreign.modules.orders.cert,
        key: foreign.modules.orders.key,
        minVersion: 'TLSv1.3',
      });
      const outcome = await exchange(socket, bytes, 'secureConnect');
      expect({
        module,
        serverName: outcome.serverName, // the listener speaks TLS as its module...
        closed: outcome.closed, // ...and hangs up on a certificate it does not trust
        replied: holdsReply(outcome.received),
      }).toEqual({ module, serverName: module, closed: true, replied: false });
    }
    expect(await stockOf(store, productId)).toBe(5);
    expect(await auditEventsOfType(store, manager, 'forged_foreign')).toEqual([]);
    expect(await handled('products', 'forger-foreign')).toEqual([]);
    expect(await handled('logging', 'forger-foreign')).toEqual([]);
  });

  it('the bytes of a real call, replayed on a new connection, are never executed and the connection is closed', async () => {
    const productId = await createProduct(store, manager, 5);
    const eventId = randomUUID();
    const calls: Array<{ module: Module; pattern: string; payload: object }> = [
      {
        module: 'products',
        pattern: 'products.reserve_stock',
        payload: { reservationId: `replayed-${randomUUID()}`, items: [{ productId, quantity: 1 }] },
      },
      {
        module: 'logging',
        pattern: 'logging.record',
        payload: {
          eventId,
          type: 'replay_probe',
          subject: { kind: 'product', id: productId },
          occurredAt: new Date().toISOString(),
        },
      },
    ];
    const recordings: Array<{ module: Module; bytes: Buffer }> = [];
    for (const { module, pattern, payload } of calls) {
      const proxy = await recordingProxy(store.tcpPort(module));
      const client = busRpcClient(store, module, { port: proxy.port, caller: 'replayed' });
      try {
        await client.send(pattern, payload);
      } finally {
        client.close();
      }
      await proxy.clientClosed; // its goodbye passed the proxy too: the recording is complete
      recordings.push({ module, bytes: proxy.clientBytes() });
      await proxy.close();
    }
    // The real calls went through: one unit reserved, one event, each handled once.
    expect(await stockOf(store, productId)).toBe(4);
    expect(await auditEventsOfType(store, manager, 'replay_probe')).toHaveLength(1);
    expect(await handled('products', 'replayed')).toEqual(['products.reserve_stock']);
    expect(await handled('logging', 'replayed')).toEqual(['logging.record']);

    for (const { module, bytes } of recordings) {
      expect(bytes.length).toBeGreaterThan(0);
      const outcome = await exchange(
        netConnect(store.tcpPort(module), '127.0.0.1'),
        bytes,
        'connect',
      );
      expect({ module, closed: outcome.closed, replied: holdsReply(outcome.received) }).toEqual({
        module,
        closed: true,
        replied: false,
      });
    }
    expect(await stockOf(store, productId)).toBe(4);
    expect(await auditEventsOfType(store, manager, 'replay_probe')).toHaveLength(1);
    expect(await handled('products', 'replayed')).toEqual(['products.reserve_stock']);
    expect(await handled('logging', 'replayed')).toEqual(['logging.record']);
  });

  it('checks the listener is the module it should be, by certificate name rather than address', async () => {
    // The products listener, reached as if it were users: the client refuses it.
    const { cert, key } = storeBusCredentials(store).identity('orders');
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: store.tcpPort('products'),
        servername: 'users',
        ca: storeBusCredentials(store).ca,
        cert,
        key,
      });
      socket.on('secureConnect', () => socket.destroy());
      socket.on('error', resolve);
    });
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const client = busRpcClient(store, 'users', { port: store.tcpPort('products') });
    try {
      await expect(client.send('users.ping', {})).rejects.toMatchObject({
        response: { code: 'PEER_UNAVAILABLE' },
      });
    } finally {
      client.close();
    }
  });

  it('a client with a valid certificate is served', async () => {
    const productId = await createProduct(store, manager, 7);
    const client = busRpcClient(store, 'products', { caller: 'legitimate' });
    try {
      const reply = await client.send<{ items: Array<{ id: string; stock: number }> }>(
        'products.get_many',
        { ids: [productId] },
      );
      expect(reply.items).toEqual([expect.objectContaining({ id: productId, stock: 7 })]);
    } finally {
      client.close();
    }
    expect(await handled('products', 'legitimate')).toEqual(['products.get_many']);
  });

  describe('frame limits, for a peer with a valid certificate', () => {
    const ANNOUNCED = 120 * MiB;

    function validTlsSocket(module: Module): TLSSocket {
      const credentials = storeBusCredentials(store);
      const { cert, key } = credentials.identity('orders');
      return tlsConnect({
        host: '127.0.0.1',
        port: store.tcpPort(module),
        servername: module,
        ca: credentials.ca,
        cert,
        key,
        minVersion: 'TLSv1.3',
      });
    }

    /** Announces a 120 MB frame and streams it until the listener hangs up; resolves with what it sent. */
    function streamOversizedFrame(module: Module): Promise<{ sent: number; closed: boolean }> {
      return new Promise((resolve) => {
        const socket = validTlsSocket(module);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        let closed = false;
        const pump = (): void => {
          while (!closed && sent < ANNOUNCED) {
            sent += chunk.length;
            if (!socket.write(chunk)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        socket.on('secureConnect', () => {
          socket.write(`${ANNOUNCED}#{"pattern":"products.reserve_stock","data":"`);
          pump();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          closed = true;
          resolve({ sent, closed: sent < ANNOUNCED });
        });
      });
    }

    /** Sends the start of a 120 MB frame, then nothing; resolves when the listener hangs up. */
    function stallMidFrame(
      module: Module,
    ): Promise<{ openAfterSending: boolean; closed: boolean }> {
      return new Promise((resolve) => {
        const socket = validTlsSocket(module);
        let openAfterSending = false;
        const timer = setTimeout(() => {
          socket.destroy();
          resolve({ openAfterSending, closed: false });
        }, WAIT_FOR_CLOSE_MS);
        socket.on('secureConnect', () => {
          socket.write(`${ANNOUNCED}#{"pattern":"products.reserve_stock","data":"`);
          socket.write(Buffer.alloc(256 * 1024, 'a'), () => {
            openAfterSending = !socket.destroyed;
          });
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve({ openAfterSending, closed: true });
        });
      });
    }

    it('closes a connection whose frame outgrows BUS_MAX_FRAME_BYTES, long before the announced size', async () => {
      const result = await streamOversizedFrame('products');
      expect(result.closed).toBe(true);
      expect(result.sent).toBeLessThan(ANNOUNCED);
    });

    it('closes a connection that stops in the middle of a frame', async () => {
      const result = await stallMidFrame('products');
      expect(result).toEqual({ openAfterSending: true, closed: true });
    });

    it('gives the memory back: after three such connections the process is as large as before', async () => {
      const pid = store.pid('products') as number;
      const before = rssKb(pid);
      const results = await Promise.all([
        streamOversizedFrame('products'),
        streamOversizedFrame('products'),
        streamOversizedFrame('products'),
        stallMidFrame('products'),
        stallMidFrame('products'),
        stallMidFrame('products'),
      ]);
      for (const result of results) expect(result.closed).toBe(true);
      const settled = await eventually(
        () => {
          const now = rssKb(pid);
          return now <= before * 1.1 ? now : undefined;
        },
        'the RSS of products to return within 10 % of where it started',
        60_000,
      );
      expect(settled).toBeLessThanOrEqual(before * 1.1);
      // And the module still serves its peers.
      const productId = await createProduct(store, manager, 2);
      const client = busRpcClient(store, 'products');
      try {
        const reply = await client.send<{ items: Array<{ stock: number }> }>('products.get_many', {
          ids: [productId],
        });
        expect(reply.items[0].stock).toBe(2);
      } finally {
        client.close();
      }
    });
  });
});
