import { createSign } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { ensureDevDataKeys } from '@mfm/platform/crypto/data-keys';
import { DEMO, login } from '../support/accounts';
import { TcpRelay, eventually, tcpProbe, tcpPortEnv, tcpSocketsOf } from '../support/platform';
import { MODULES, Module, Store, TOPOLOGIES } from '../support/store';

jest.setTimeout(60_000);

const b64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
const decodePart = (token: string, index: 0 | 1) =>
  JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString()) as Record<
    string,
    unknown
  >;

/**
 * An access token that is well signed by the users module's real key but expired half an hour ago.
 * The key is read from the users database of this test store and opened with its data keys (a
 * test-only shortcut: the TTL cannot go below 30 s, and waiting for a real token to expire would
 * slow the suite down).
 */
async function expiredToken(store: Store, valid: string): Promise<string> {
  const url = store.databaseUrl('users');
  const db = new DataSource(
    url
      ? { type: 'postgres', url }
      : {
          type: 'better-sqlite3',
          database: join(store.dataDir('users'), 'users.sqlite'),
          readonly: true,
        },
  );
  await db.initialize();
  try {
    const header = decodePart(valid, 0);
    const [key] = await db.query<Array<{ privateKeyPem: string }>>(
      `SELECT "privateKeyPem" FROM signing_key WHERE kid = ${url ? '$1' : '?'}`,
      [header.kid],
    );
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64url(header)}.${b64url({ ...decodePart(valid, 1), iat: now - 3600, exp: now - 1800 })}`;
    // The key is sealed at rest, bound to its kid; this store runs on its development data keys.
    const privateKey = new DataKeyRing(ensureDevDataKeys(store.dataDir('users'))).open(
      key.privateKeyPem,
      DataKeyRing.rowContext('signing_key.privateKeyPem', header.kid as string),
    );
    const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey);
    return `${unsigned}.${b64url(signature)}`;
  } finally {
    await db.destroy();
  }
}

describe.each(TOPOLOGIES)('calls between modules (%s)', (topology) => {
  let store: Store;
  let tcpPorts: Record<Module, number>;
  let employeeToken: string;

  beforeAll(async () => {
    const plan = await tcpPortEnv();
    tcpPorts = plan.ports;
    store = await Store.start(topology, { env: plan.env });
    employeeToken = (await login(store, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  }, 30_000);

  if (topology === 'single') {
    it('opens no socket for a call to a local module: no TCP listener, no connection besides HTTP', async () => {
      const res = await store.request('logging', 'GET', '/api/logs', { token: employeeToken });
      expect(res.status).toBe(200); // logging asked users.verify_token, in the same process

      for (const module of MODULES) expect(await tcpProbe(tcpPorts[module])).toBe('refused');
      const httpPort = Number(new URL(store.baseUrl('logging')).port);
      const sockets = tcpSocketsOf(store.pid('all')!);
      expect(sockets.filter((s) => s.state === 'LISTEN').map((s) => s.localPort)).toEqual([
        httpPort,
      ]);
      // Every other socket is an HTTP connection of this test to the process (or, on
      // PostgreSQL runs, a connection of the modules' pools to the database server).
      const dbUrl = store.databaseUrl('users');
      const dbPort = dbUrl ? Number(new URL(dbUrl).port) : undefined;
      expect(sockets.filter((s) => s.localPort !== httpPort && s.remotePort !== dbPort)).toEqual(
        [],
      );
    });
  } else {
    it('listens on each module’s TCP port, and a call to another module goes over it', async () => {
      for (const module of MODULES) expect(await tcpProbe(tcpPorts[module])).toBe('open');
      const res = await store.request('logging', 'GET', '/api/logs', { token: employeeToken });
      expect(res.status).toBe(200);
      const toUsers = tcpSocketsOf(store.pid('logging')!).filter(
        (s) => s.state === 'ESTABLISHED' && s.remotePort === tcpPorts.users,
      );
      expect(toUsers.length).toBeGreaterThan(0);
    });
  }

  describe('a 401 raised by users reaches the caller of logging with the same status and body', () => {
    // GET /api/users/me is served by users itself: what users answers for the token, directly.
    const both = async (token: string) => {
      const viaLogging = await store.request('logging', 'GET', '/api/logs', { token });
      const direct = await store.request('users', 'GET', '/api/users/me', { token });
      return { viaLogging, direct };
    };

    it('a token that is not a JWT', async () => {
      const { viaLogging, direct } = await both('not-a-jwt');
      expect(viaLogging.status).toBe(401);
      expect(viaLogging.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'INVALID_TOKEN',
        message: expect.any(String),
      });
      expect(viaLogging.body).toEqual(direct.body);
    });

    it('a real token with a tampered signature', async () => {
      const [header, payload, signature] = employeeToken.split('.');
      const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      const { viaLogging, direct } = await both(tampered);
      expect(viaLogging.status).toBe(401);
      expect(viaLogging.body).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(viaLogging.body).toEqual(direct.body);
    });

    it('a token promoted to employee by editing its claims (unsigned, alg "none")', async () => {
      const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
      const forged = `${b64url({ ...decodePart(customer.accessToken, 0), alg: 'none' })}.${b64url({ ...decodePart(customer.accessToken, 1), role: 'employee' })}.`;
      const { viaLogging, direct } = await both(forged);
      expect(viaLogging.status).toBe(401);
      expect(viaLogging.body).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(viaLogging.body).toEqual(direct.body);
    });

    it('an expired token', async () => {
      const { viaLogging, direct } = await both(await expiredToken(store, employeeToken));
      expect(viaLogging.status).toBe(401);
      expect(viaLogging.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'INVALID_TOKEN',
        message: expect.stringContaining('expired'),
      });
      expect(viaLogging.body).toEqual(direct.body);
    });

    it('a token whose session was ended by logout', async () => {
      const session = await login(store, DEMO.employee.username, DEMO.employee.password);
      expect(
        (await store.request('logging', 'GET', '/api/logs', { token: session.accessToken })).status,
      ).toBe(200);
      expect(
        (await store.request('users', 'POST', '/api/auth/logout', { token: session.accessToken }))
          .status,
      ).toBe(204);
      const { viaLogging, direct } = await both(session.accessToken);
      expect(viaLogging.status).toBe(401);
      expect(viaLogging.body).toMatchObject({ statusCode: 401, code: 'TOKEN_REVOKED' });
      expect(viaLogging.body).toEqual(direct.body);
    });

    it('was decided by users: its log shows the failed users.verify_token, called by logging', async () => {
      const marker = `wire-401-${topology}`;
      const res = await store.request('logging', 'GET', '/api/logs', {
        token: 'garbage',
        headers: { 'x-request-id': marker },
      });
      expect(res.status).toBe(401);
      const line = await eventually(
        () =>
          store
            .logLines(store.processOf('users'))
            .find((l) => l.requestId === marker && l.pattern === 'users.verify_token'),
        'the users.verify_token log line',
      );
      expect(line).toMatchObject({
        outcome: 'error',
        caller: topology === 'single' ? 'all' : 'logging',
      });
    });
  });
});

describe('split: a peer that is down or hangs gives 503 quickly, and the caller reconnects by itself', () => {
  const RPC_TIMEOUT_MS = 1500;
  const HANG_BOUND_MS = RPC_TIMEOUT_MS + 2000; // a hang check, not a performance target
  let store: Store;
  let token: string;

  beforeAll(async () => {
    store = await Store.start('split', { env: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } });
    token = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
  }, 60_000);

  afterAll(async () => {
    if (store?.pid('users')) store.signal('users', 'SIGCONT');
    await store?.close();
  }, 30_000);

  const timedLogs = async () => {
    const started = Date.now();
    const res = await store.request('logging', 'GET', '/api/logs', { token });
    return { res, elapsed: Date.now() - started };
  };

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'users stopped by %s: 503 PEER_UNAVAILABLE at once; back after a restart of users only',
    async (signal) => {
      const loggingPid = store.pid('logging');
      expect((await timedLogs()).res.status).toBe(200);

      await store.stop('users', signal);
      const { res, elapsed } = await timedLogs();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'PEER_UNAVAILABLE',
        message: 'The users service is unavailable',
        details: { peer: 'users' },
      });
      expect(elapsed).toBeLessThan(HANG_BOUND_MS);

      await store.restart('users');
      const after = await timedLogs();
      expect(after.res.status).toBe(200);
      expect(store.pid('logging')).toBe(loggingPid); // logging was never restarted
    },
  );

  /** Local ports of logging's connections to the users TCP listener. */
  const connectionsToUsers = () =>
    tcpSocketsOf(store.pid('logging')!)
      .filter((s) => s.state === 'ESTABLISHED' && s.remotePort === store.tcpPort('users'))
      .map((s) => s.localPort);

  it('users frozen (SIGSTOP): 503 PEER_TIMEOUT after the configured timeout instead of a hang; fine again once it resumes, over a new connection', async () => {
    const loggingPid = store.pid('logging');
    expect((await timedLogs()).res.status).toBe(200);
    const before = connectionsToUsers();
    expect(before).toHaveLength(1);
    store.signal('users', 'SIGSTOP');
    try {
      const { res, elapsed } = await timedLogs();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'PEER_TIMEOUT',
        message: `The users service did not answer within ${RPC_TIMEOUT_MS} ms`,
        details: { peer: 'users' },
      });
      expect(elapsed).toBeLessThan(HANG_BOUND_MS);
    } finally {
      store.signal('users', 'SIGCONT');
    }
    expect((await timedLogs()).res.status).toBe(200);
    expect(store.pid('logging')).toBe(loggingPid);
    // The connection that timed out was dropped: nothing more is sent down a link that may be dead.
    const after = connectionsToUsers();
    expect(after).toHaveLength(1);
    expect(after).not.toContain(before[0]);
  });

  it('a half-open connection to users (the link stops delivering, nothing closes it): one 503 PEER_TIMEOUT, then the next call reconnects and succeeds', async () => {
    const relay = await TcpRelay.start(store.tcpPort('users'));
    try {
      // Only logging reaches users through the relay; users itself still listens on its port.
      await store.restart('logging', { USERS_TCP_PORT: String(relay.port) });
      expect((await timedLogs()).res.status).toBe(200);
      expect([relay.accepted, relay.open]).toEqual([1, 1]);

      relay.blackhole();
      const { res } = await timedLogs();
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('PEER_TIMEOUT');

      const next = await timedLogs();
      expect([next.res.status, next.res.body?.code]).toEqual([200, undefined]);
      expect(relay.accepted).toBe(2);
      // logging closed the dead connection itself; only the new one is left.
      await eventually(() => relay.open === 1, 'the dead connection to be closed');
    } finally {
      await relay.close();
      await store.restart('logging', { USERS_TCP_PORT: String(store.tcpPort('users')) });
    }
  });
});
