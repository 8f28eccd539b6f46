import { randomUUID } from 'node:crypto';
import { DEMO } from '../support/accounts';
import { HttpResult, Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * Which address a client has, seen through the per-address login limit (3 failures here).
 * Requests leave from different loopback addresses (127.0.0.2, …), so the server sees real,
 * different clients. Without TRUST_PROXY the socket's address is the client, whatever
 * X-Forwarded-For says; with TRUST_PROXY=127.0.0.1 a request from 127.0.0.1 is a proxy's, and
 * the client is the last address it appended to X-Forwarded-For (as the gateway's nginx does).
 */

const PER_ADDRESS = 3;

const limits = {
  LOGIN_MAX_FAILURES_PER_IP: String(PER_ADDRESS),
  LOGIN_MAX_FAILURES_PER_USERNAME: '1000',
  LOGIN_FAILURE_WINDOW_SECONDS: '900',
};

function loginAs(store: Store, from: string | undefined, forwardedFor?: string) {
  return (username: string, password: string): Promise<HttpResult> =>
    store.request('users', 'POST', '/api/auth/login', {
      body: { username, password },
      ...(from && { from }),
      ...(forwardedFor && { headers: { 'x-forwarded-for': forwardedFor } }),
    });
}

/** PER_ADDRESS wrong guesses for made-up usernames, each through `send`; all must be checked (401). */
async function failEnough(send: (i: number) => Promise<HttpResult>): Promise<void> {
  for (let i = 0; i < PER_ADDRESS; i++) {
    const res = await send(i);
    expect({ i, status: res.status, code: res.body.code }).toEqual({
      i,
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
  }
}

const nobody = () => `nobody_${randomUUID().slice(0, 8)}`;

function expectAddressBlock(res: HttpResult): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({
    code: 'TOO_MANY_LOGIN_ATTEMPTS',
    details: { scope: 'address' },
  });
}

describe.each(BEHAVIOUR_TOPOLOGIES)('client address without TRUST_PROXY (%s)', (topology) => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.start(topology, { env: limits });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  it('a spoofed X-Forwarded-For does not dodge the address limit', async () => {
    await failEnough((i) =>
      loginAs(store, '127.0.0.2', `198.51.100.${i + 1}`)(nobody(), 'Wrong-1'),
    );
    const next = await loginAs(
      store,
      '127.0.0.2',
      '198.51.100.99',
    )(DEMO.customer.username, DEMO.customer.password);
    expectAddressBlock(next);
  });

  it('nor locks out the address it names', async () => {
    await failEnough((i) => loginAs(store, '127.0.0.3', '127.0.0.4')(nobody(), `Wrong-${i}`));
    expectAddressBlock(
      await loginAs(
        store,
        '127.0.0.3',
        '127.0.0.4',
      )(DEMO.customer.username, DEMO.customer.password),
    );
    const named = await loginAs(store, '127.0.0.4')(DEMO.customer.username, DEMO.customer.password);
    expect(named.status).toBe(200);
  });
});

describe.each(BEHAVIOUR_TOPOLOGIES)(
  'client address with TRUST_PROXY=127.0.0.1 (%s)',
  (topology) => {
    let store: Store;

    beforeAll(async () => {
      store = await Store.start(topology, { env: { ...limits, TRUST_PROXY: '127.0.0.1' } });
    }, 120_000);

    afterAll(async () => {
      await store?.close();
    });

    it('two clients behind the trusted proxy have separate address limits', async () => {
      const viaProxy = (client: string) => loginAs(store, '127.0.0.1', client);
      await failEnough(() => viaProxy('198.51.100.1')(nobody(), 'Wrong-1'));
      expectAddressBlock(
        await viaProxy('198.51.100.1')(DEMO.customer.username, DEMO.customer.password),
      );
      const other = await viaProxy('198.51.100.2')(DEMO.customer.username, DEMO.customer.password);
      expect(other.status).toBe(200);
    });

    it('a client cannot dodge its limit by putting addresses in front of the one the proxy appends', async () => {
      // nginx's $proxy_add_x_forwarded_for: whatever the client sent, then the address it saw.
      const spoofed = (i: number) => `203.0.113.${i + 1}, 10.1.2.${i + 1}, 198.51.100.3`;
      await failEnough((i) => loginAs(store, '127.0.0.1', spoofed(i))(nobody(), 'Wrong-1'));
      expectAddressBlock(
        await loginAs(
          store,
          '127.0.0.1',
          spoofed(7),
        )(DEMO.customer.username, DEMO.customer.password),
      );
    });

    it('X-Forwarded-For from an untrusted hop is ignored: that hop is the client', async () => {
      await failEnough((i) =>
        loginAs(store, '127.0.0.7', `198.51.100.${20 + i}`)(nobody(), 'Wrong-1'),
      );
      expectAddressBlock(
        await loginAs(
          store,
          '127.0.0.7',
          '198.51.100.30',
        )(DEMO.customer.username, DEMO.customer.password),
      );
      // The addresses it named were not charged: a client the trusted proxy forwards as one of them logs in.
      const named = await loginAs(
        store,
        '127.0.0.1',
        '198.51.100.20',
      )(DEMO.customer.username, DEMO.customer.password);
      expect(named.status).toBe(200);
    });
  },
);
