import { randomUUID } from 'node:crypto';
import { DEMO, stepUp } from '../support/accounts';
import { TestAuthenticator } from '../support/authenticator';
import { BEHAVIOUR_TOPOLOGIES, HttpResult, Store } from '../support/store';

/**
 * Login throttling with small limits and a 2-second window: per username, per client address
 * (every request here comes from 127.0.0.1), and the block lifting once the window has passed.
 * The per-username limit at its default (5 in 15 minutes) is covered in users-auth.
 *
 * No timing thresholds: a round of failures is sent at once and followed by a check; if the
 * machine was so slow that the window ran out in between, the round is repeated after the window.
 */

const WINDOW_SECONDS = 2;
const PER_USERNAME = 2;
const PER_ADDRESS = 4;
const MAX_ROUNDS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BEHAVIOUR_TOPOLOGIES)('users: login throttling (%s)', (topology) => {
  let store: Store;
  const tryLogin = (username: string, password: string) =>
    store.request('users', 'POST', '/api/auth/login', { body: { username, password } });

  /** Sends `failures` at once, then the `checks`, until every check is refused (or gives up). */
  async function blockWith(
    failures: () => Array<Promise<HttpResult>>,
    checks: () => Array<Promise<HttpResult>>,
  ): Promise<HttpResult[]> {
    let last: HttpResult[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (round > 0) await sleep(WINDOW_SECONDS * 1000 + 200); // start the next round with clean counters
      const failed = await Promise.all(failures());
      expect(failed.map((r) => r.status).every((s) => s === 401 || s === 429)).toBe(true);
      last = await Promise.all(checks());
      if (last.every((r) => r.status === 429)) return last;
    }
    return last;
  }

  function expectRetryAfter(res: HttpResult, scope: 'account' | 'address'): number {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      details: { scope },
    });
    const header = res.headers.get('retry-after');
    expect(header).toMatch(/^\d+$/);
    const seconds = Number(header);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(res.body.details.retryAfterSeconds).toBe(seconds);
    return seconds;
  }

  beforeAll(async () => {
    store = await Store.start(topology, {
      env: {
        LOGIN_MAX_FAILURES_PER_USERNAME: String(PER_USERNAME),
        LOGIN_MAX_FAILURES_PER_IP: String(PER_ADDRESS),
        LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  it('blocks one username after its failures (429, Retry-After), even with the right password; lifts after the window', async () => {
    const username = `thr_${randomUUID().slice(0, 8)}`;
    const password = 'Crisp-Apples-7';
    const registered = await store.request('users', 'POST', '/api/auth/register', {
      body: {
        firstName: 'Tess',
        lastName: 'Holt',
        username,
        email: `${username}@example.com`,
        password,
      },
    });
    expect(registered.status).toBe(201);

    const [blocked] = await blockWith(
      () => Array.from({ length: PER_USERNAME }, (_, i) => tryLogin(username, `Wrong-Guess-${i}`)),
      () => [tryLogin(username, password)],
    );
    const retryAfter = expectRetryAfter(blocked, 'account');

    await sleep(retryAfter * 1000 + 200);
    const after = await tryLogin(username, password);
    expect(after.status).toBe(200);
    expect(after.body.user.username).toBe(username);
  });

  it('blocks a client address after failures spread over different usernames, for every account; lifts after the window', async () => {
    await sleep(WINDOW_SECONDS * 1000 + 200); // the previous test's counters are gone
    // One failure per (made-up) username: the per-username limit cannot be what blocks.
    const checks = await blockWith(
      () =>
        Array.from({ length: PER_ADDRESS }, () =>
          tryLogin(`nobody_${randomUUID().slice(0, 8)}`, 'Wrong-Guess-1'),
        ),
      () => [
        tryLogin(DEMO.customer.username, DEMO.customer.password),
        tryLogin(DEMO.employee.username, DEMO.employee.password),
      ],
    );
    const retryAfter = Math.max(...checks.map((res) => expectRetryAfter(res, 'address')));

    await sleep(retryAfter * 1000 + 200);
    expect((await tryLogin(DEMO.customer.username, DEMO.customer.password)).status).toBe(200);
    expect((await tryLogin(DEMO.employee.username, DEMO.employee.password)).status).toBe(200);
  });
});

/**
 * Guesses sent all at once: the attempt is counted before the password is checked, so no more
 * than the limit ever reach the check, however many arrive together. Observable in the answers:
 * exactly `limit` are 401 INVALID_CREDENTIALS (checked and wrong), all others 429 (never checked).
 * Each test sends from its own loopback address, so the address counters start empty, and the
 * window is long enough never to roll over in between.
 */
describe.each(BEHAVIOUR_TOPOLOGIES)('users: concurrent login guesses (%s)', (topology) => {
  const USERNAME_LIMIT = 5;
  const ADDRESS_LIMIT = 12;
  let store: Store;

  const guess = (username: string, from: string, i: number) =>
    store.request('users', 'POST', '/api/auth/login', {
      body: { username, password: `Wrong-Guess-${i}` },
      from,
    });

  const tally = (results: HttpResult[]) => ({
    invalid: results.filter((r) => r.status === 401 && r.body.code === 'INVALID_CREDENTIALS')
      .length,
    throttled: results.filter((r) => r.status === 429 && r.body.code === 'TOO_MANY_LOGIN_ATTEMPTS')
      .length,
    other: results.filter((r) => r.status !== 401 && r.status !== 429).length,
  });

  beforeAll(async () => {
    store = await Store.start(topology, {
      env: {
        LOGIN_MAX_FAILURES_PER_USERNAME: String(USERNAME_LIMIT),
        LOGIN_MAX_FAILURES_PER_IP: String(ADDRESS_LIMIT),
        LOGIN_FAILURE_WINDOW_SECONDS: '900',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  it('one username: of 10 concurrent wrong guesses exactly 5 reach the password check', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => guess('customer', '127.0.0.2', i)),
    );
    expect(tally(results)).toEqual({ invalid: USERNAME_LIMIT, throttled: 5, other: 0 });
    const refused = results.find((r) => r.status === 429) as HttpResult;
    expect(refused.body.details.scope).toBe('account');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The owner is refused too until the window passes: the limit is per username.
    const owner = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: DEMO.customer.username, password: DEMO.customer.password },
      from: '127.0.0.3',
    });
    expect(owner.status).toBe(429);
  });

  it('one address: of 30 concurrent wrong guesses for different usernames exactly 12 are checked', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        guess(`nobody_${randomUUID().slice(0, 8)}`, '127.0.0.4', i),
      ),
    );
    expect(tally(results)).toEqual({ invalid: ADDRESS_LIMIT, throttled: 18, other: 0 });
    expect(
      results.filter((r) => r.status === 429).every((r) => r.body.details.scope === 'address'),
    ).toBe(true);
    // Another address is not affected, and a right password from it works.
    const elsewhere = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: DEMO.employee.username, password: DEMO.employee.password },
      from: '127.0.0.5',
    });
    expect(elsewhere.status).toBe(200);
  });

  /** A fresh account (address unverified: enough for these checks); its name, address and password. */
  async function register(): Promise<{ username: string; email: string; password: string }> {
    const username = `acct_${randomUUID().slice(0, 8)}`;
    const account = { username, email: `${username}@example.com`, password: 'Crisp-Apples-7' };
    const res = await store.request('users', 'POST', '/api/auth/register', {
      body: { firstName: 'Tess', lastName: 'Holt', ...account },
      from: '127.0.0.9',
    });
    expect(res.status).toBe(201);
    return account;
  }

  it('one account: its username and its email address share one budget (exactly 5 of 10 concurrent guesses checked)', async () => {
    const account = await register();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        guess(i % 2 ? account.username : account.email.toUpperCase(), '127.0.0.7', i),
      ),
    );
    expect(tally(results)).toEqual({ invalid: USERNAME_LIMIT, throttled: 5, other: 0 });
    expect(
      results.filter((r) => r.status === 429).every((r) => r.body.details.scope === 'account'),
    ).toBe(true);
    // Blocked by either name, from anywhere, with the right password too.
    for (const name of [account.username, account.email]) {
      const owner = await store.request('users', 'POST', '/api/auth/login', {
        body: { username: name, password: account.password },
        from: '127.0.0.8',
      });
      expect({ name, status: owner.status }).toEqual({ name, status: 429 });
    }
  });

  it('counts the password checks of the email change and of turning two-factor sign-in off in the login limit', async () => {
    const account = await register();
    const signedIn = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: account.username, password: account.password },
      from: '127.0.0.10',
    });
    expect(signedIn.status).toBe(200);
    const token = await stepUp(
      store,
      signedIn.body.accessToken as string,
      account.password,
      undefined,
      '127.0.0.10',
    );
    const call = (path: string, body: unknown) =>
      store.request('users', 'POST', path, { body, token, from: '127.0.0.10' });
    const started = await call('/api/users/me/mfa/totp', undefined);
    expect(started.status).toBe(201);
    const app = new TestAuthenticator(started.body.secret);
    const confirmed = await call('/api/users/me/mfa/totp/confirm', { code: await app.next() });
    expect(confirmed.status).toBe(200);
    const backupCodes: string[] = confirmed.body.backupCodes;

    const wrong: HttpResult[] = [];
    for (let i = 0; i < 3; i++)
      wrong.push(
        await call('/api/users/me/email', {
          newEmail: `moved_${i}_${account.email}`,
          password: `Wrong-Guess-${i}`,
        }),
      );
    for (let i = 0; i < 2; i++)
      wrong.push(
        await call('/api/users/me/mfa/disable', {
          password: `Wrong-Guess-${i}`,
          code: backupCodes[i],
        }),
      );
    expect(wrong.map((r) => r.body.code)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    // The account's budget is spent: the next check, and a login with the right password, wait.
    const sixth = await call('/api/users/me/email', {
      newEmail: `moved_${account.email}`,
      password: account.password,
    });
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    const login = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: account.username, password: account.password },
      from: '127.0.0.11',
    });
    expect(login.status).toBe(429);
    expect(login.body.details.scope).toBe('account');
  });

  it('successful logins give their attempt back: more right passwords than the limit all succeed', async () => {
    // One after the other, twice the address limit: none of them counts as a failure.
    for (let i = 0; i < ADDRESS_LIMIT * 2; i++) {
      const res = await store.request('users', 'POST', '/api/auth/login', {
        body: { username: DEMO.employee.username, password: DEMO.employee.password },
        from: '127.0.0.6',
      });
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
    }
    // And the address still has its whole budget of failures: exactly 12 checked of 20.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        guess(`nobody_${randomUUID().slice(0, 8)}`, '127.0.0.6', i),
      ),
    );
    expect(tally(results)).toEqual({ invalid: ADDRESS_LIMIT, throttled: 8, other: 0 });
  });
});
