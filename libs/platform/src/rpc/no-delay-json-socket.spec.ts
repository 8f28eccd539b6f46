import 'reflect-metadata';
import { Server, TLSSocket, connect, createServer } from 'node:tls';
import { IssuedBusCredentials, issueBusCredentials } from '../bus/bus-certificates';
import { busSocketClass } from './no-delay-json-socket';

/** A real mutual-TLS pair: the listener wraps each accepted socket in the bus socket class. */
describe('busSocketClass over TLS', () => {
  let issued: IssuedBusCredentials;
  let server: Server;
  let port: number;
  const messages: unknown[] = [];
  const serverSockets: Array<{ socket: TLSSocket; noDelay: boolean }> = [];
  const limits = { maxFrameBytes: 64 * 1024, frameTimeoutMs: 300 };

  beforeAll(async () => {
    issued = await issueBusCredentials({ modules: ['products', 'orders'] });
    const BusSocket = busSocketClass(limits);
    server = createServer(
      {
        cert: issued.modules.products.cert,
        key: issued.modules.products.key,
        ca: issued.ca.trust,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.3',
      },
      (socket) => {
        const entry = { socket, noDelay: false };
        const setNoDelay = socket.setNoDelay.bind(socket);
        socket.setNoDelay = (enable?: boolean) => {
          entry.noDelay = enable !== false;
          return setNoDelay(enable);
        };
        serverSockets.push(entry);
        new BusSocket(socket).on('message', (message) => messages.push(message));
      },
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  function client(): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: 'products',
        cert: issued.modules.orders.cert,
        key: issued.modules.orders.key,
        ca: issued.ca.trust,
      });
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  const closed = (socket: TLSSocket) =>
    new Promise<void>((done) => {
      socket.on('error', () => undefined);
      socket.on('close', () => done());
    });

  it('turns frames into messages and sets no-delay on the TLS socket', async () => {
    const socket = await client();
    const body = JSON.stringify({ pattern: 'products.ping', data: {}, id: '1' });
    socket.write(`${body.length}#${body}`);
    for (let i = 0; i < 50 && messages.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(messages).toEqual([{ pattern: 'products.ping', data: {}, id: '1' }]);
    expect(serverSockets.at(-1)?.noDelay).toBe(true);
    socket.destroy();
  });

  it('destroys a connection whose frame outgrows the limit, while the peer is still sending', async () => {
    const socket = await client();
    const gone = closed(socket);
    socket.write(`${10 * 1024 * 1024}#{"pattern":"x","data":"`);
    let sent = 0;
    let open = true;
    void gone.then(() => (open = false));
    const chunk = Buffer.alloc(16 * 1024, 'a');
    while (open && sent < 10 * 1024 * 1024) {
      sent += chunk.length;
      if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r).once('close', r));
    }
    await gone;
    expect(sent).toBeLessThan(10 * 1024 * 1024);
    expect(serverSockets.at(-1)?.socket.destroyed).toBe(true);
  });

  it('destroys a connection that stalls in the middle of a frame', async () => {
    const socket = await client();
    const gone = closed(socket);
    socket.write('5000#{"pattern":');
    await gone;
    expect(serverSockets.at(-1)?.socket.destroyed).toBe(true);
  });
});
