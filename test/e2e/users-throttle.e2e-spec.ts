import { randomUUID } from 'node:crypto';
import { DEMO } from '../support/accounts';
import { HttpResult, Store, TOPOLOGIES } from '../support/store';

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

describe.each(TOPOLOGIES)('users: login throttling (%s)', (topology) => {
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

  function expectRetryAfter(res: HttpResult, scope: 'username' | 'address'): number {
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
    const retryAfter = expectRetryAfter(blocked, 'username');

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
