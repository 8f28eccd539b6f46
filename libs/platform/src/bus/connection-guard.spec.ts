import { Socket, connect } from 'node:net';
import { Server, createServer } from 'node:tls';
import { Metrics } from '../metrics/metrics';
import { IssuedBusCredentials, issueBusCredentials } from './bus-certificates';
import { guardConnections } from './connection-guard';

/**
 * A real TLS listener as the bus sets one up, guarded: connections that never finish their
 * handshake are closed, and one address cannot hold more than its share.
 */
describe('guardConnections', () => {
  let issued: IssuedBusCredentials;
  let server: Server;
  let port: number;
  let metrics: Metrics;
  const opened: Socket[] = [];

  beforeAll(async () => {
    issued = await issueBusCredentials({ modules: ['products'] });
  });

  beforeEach(async () => {
    metrics = new Metrics('test');
    server = createServer({
      cert: issued.modules.products.cert,
      key: issued.modules.products.key,
      ca: issued.ca.trust,
      requestCert: true,
      rejectUnauthorized: true,
      handshakeTimeout: 300,
    });
    guardConnections(
      server,
      'products',
      { maxConnections: 8, maxConnectionsPerAddress: 2 },
      metrics,
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as { port: number }).port;
  });

  afterEach(async () => {
    opened.forEach((socket) => socket.destroy());
    opened.length = 0;
    await new Promise((done) => server.close(done));
  });

  function stalled(from = '127.0.0.1', bytes?: Buffer): Socket {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    socket.on('error', () => undefined);
    if (bytes) socket.on('connect', () => socket.write(bytes));
    opened.push(socket);
    return socket;
  }

  const closed = (socket: Socket) => new Promise<void>((done) => socket.once('close', done));
  const count = async (reason: string) =>
    (await metrics.busConnectionsClosed.get()).values.find((v) => v.labels.reason === reason)
      ?.value ?? 0;

  it('closes a connection that sends nothing, or half a TLS record, once its handshake times out', async () => {
    const silent = stalled();
    const partial = stalled('127.0.0.1', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]));
    await Promise.all([closed(silent), closed(partial)]);
    expect(await count('handshake_timeout')).toBe(2);
    await new Promise<void>((done) =>
      server.getConnections((_error, n) => {
        expect(n).toBe(0);
        done();
      }),
    );
  });

  it('closes a third connection from one address at once, and still takes one from another', async () => {
    const held = [stalled('127.0.0.2'), stalled('127.0.0.2')];
    await Promise.all(held.map((s) => new Promise((done) => s.once('connect', done))));
    const third = stalled('127.0.0.2');
    await closed(third);
    expect(held.map((s) => s.destroyed)).toEqual([false, false]);
    expect(await count('address_full')).toBe(1);

    const other = stalled('127.0.0.1');
    const accepted = new Promise<void>((done) => server.once('connection', () => done()));
    await accepted;
    expect(other.destroyed).toBe(false);
    expect(await count('address_full')).toBe(1);
    // The held ones end with their handshake, which frees the address's share.
    await Promise.all(held.map(closed));
    const again = stalled('127.0.0.2');
    await new Promise((done) => server.once('connection', done));
    expect(again.destroyed).toBe(false);
    expect(await count('address_full')).toBe(1);
  });
});
