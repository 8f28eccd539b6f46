import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { LoginAttempt, LoginSubject, LoginThrottle } from './login-throttle.service';

const named = (identifier: string): LoginSubject => ({ identifier });

const throttleWith = (
  maxFailuresPerUsername: number,
  maxFailuresPerIp: number,
  failureWindowSeconds = 900,
  metrics?: Metrics,
) =>
  new LoginThrottle(
    { login: { maxFailuresPerUsername, maxFailuresPerIp, failureWindowSeconds } } as AppConfig,
    undefined,
    metrics,
  );

type Refusal = {
  status: number;
  code: string;
  message: string;
  details: { retryAfterSeconds: number; scope: string };
};

async function refusal(promise: Promise<LoginAttempt>): Promise<Refusal> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { getStatus(): number; getResponse(): Omit<Refusal, 'status'> } | undefined;
  if (!error) throw new Error('expected a refusal');
  return { status: error.getStatus(), ...error.getResponse() };
}

/** A wrong password: the attempt simply stays counted. */
const fail = async (throttle: LoginThrottle, username: string, address: string) => {
  await throttle.begin(named(username), address);
};

describe('LoginThrottle', () => {
  it('blocks a name after N attempts, whatever its case, with a whole-second Retry-After within the window', async () => {
    const throttle = throttleWith(3, 100);
    for (let i = 0; i < 3; i++) await fail(throttle, i % 2 ? 'ADA' : ' ada ', `10.0.0.${i + 1}`);
    const refused = await refusal(throttle.begin(named('ada'), '10.0.0.9'));
    expect(refused).toMatchObject({
      status: 429,
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      details: { scope: 'account' },
    });
    expect(Number.isInteger(refused.details.retryAfterSeconds)).toBe(true);
    expect(refused.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.details.retryAfterSeconds).toBeLessThanOrEqual(900);
    // another username from the same addresses is not affected
    await expect(throttle.begin(named('grace'), '10.0.0.1')).resolves.toBeDefined();
  });

  it('counts concurrent attempts before any outcome: exactly N of many simultaneous ones are let through', async () => {
    const throttle = throttleWith(4, 100);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => throttle.begin(named('ada'), '10.0.0.1')),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4);
  });

  it('blocks an address after N attempts across different usernames; the same address mapped to IPv6 counts the same', async () => {
    const throttle = throttleWith(100, 3);
    for (const name of ['a1', 'b2']) await fail(throttle, name, '10.0.0.7');
    await fail(throttle, 'c3', '::ffff:10.0.0.7');
    const refused = await refusal(throttle.begin(named('someone-new'), '10.0.0.7'));
    expect(refused).toMatchObject({ status: 429, details: { scope: 'address' } });
    await expect(throttle.begin(named('someone-new'), '10.0.0.8')).resolves.toBeDefined();
  });

  it('a refused attempt is not charged to the other budget', async () => {
    const throttle = throttleWith(1, 2);
    await fail(throttle, 'ada', '10.0.0.1'); // address: 1 of 2
    await refusal(throttle.begin(named('ada'), '10.0.0.1')); // refused by the username: address stays at 1
    await expect(throttle.begin(named('grace'), '10.0.0.1')).resolves.toBeDefined(); // 2 of 2
    expect((await refusal(throttle.begin(named('linus'), '10.0.0.1'))).details.scope).toBe(
      'address',
    );
  });

  it('a right password gives the attempt back and clears the username; a withdrawn attempt is given back', async () => {
    const throttle = throttleWith(2, 2);
    await fail(throttle, 'ada', '10.0.0.1');
    await (await throttle.begin(named('ADA'), '10.0.0.1')).passed();
    // The username's failure is cleared; the address still holds the one failure.
    await (await throttle.begin(named('ada'), '10.0.0.2')).withdrawn();
    await fail(throttle, 'ada', '10.0.0.2');
    await expect(throttle.begin(named('ada'), '10.0.0.3')).resolves.toBeDefined();
    await fail(throttle, 'grace', '10.0.0.1');
    expect((await refusal(throttle.begin(named('x'), '10.0.0.1'))).details.scope).toBe('address');
  });

  it('counts an account by its id, whatever name it was reached by, apart from names of no account', async () => {
    const throttle = throttleWith(2, 100);
    const ada = { accountId: '6f1c2a52-0000-4000-8000-000000000001' };
    await throttle.begin(ada, '10.0.0.1'); // e.g. by username
    await throttle.begin(ada, '10.0.0.2'); // e.g. by email address
    expect((await refusal(throttle.begin(ada, '10.0.0.3'))).details.scope).toBe('account');
    // A name's count is its own: the account's id is not a name.
    await expect(throttle.begin(named(ada.accountId), '10.0.0.3')).resolves.toBeDefined();
    // Another account keeps its own budget.
    const grace = { accountId: '6f1c2a52-0000-4000-8000-000000000002' };
    await expect(throttle.begin(grace, '10.0.0.3')).resolves.toBeDefined();
  });

  it('lifts the block when the window has passed', async () => {
    const throttle = throttleWith(1, 100, 1);
    await fail(throttle, 'ada', '10.0.0.1');
    const refused = await refusal(throttle.begin(named('ada'), '10.0.0.1'));
    expect(refused.details.retryAfterSeconds).toBe(1);
    await new Promise((resolve) =>
      setTimeout(resolve, refused.details.retryAfterSeconds * 1000 + 100),
    );
    await expect(throttle.begin(named('ada'), '10.0.0.1')).resolves.toBeDefined();
  });

  describe('outcomes, the refusal’s scope, a failing store', () => {
    let metrics: Metrics;
    const outcomes = async () =>
      Object.fromEntries(
        (await metrics.logins.get()).values.map((v) => [String(v.labels.outcome), v.value]),
      );

    beforeEach(() => {
      metrics = new Metrics('users');
    });
    afterEach(() => jest.restoreAllMocks());

    it('counts right passwords, wrong ones and refusals in /metrics, and not a withdrawn attempt', async () => {
      const throttle = throttleWith(1, 100, 900, metrics);
      await (await throttle.begin(named('ada'), '10.0.0.1')).passed();
      (await throttle.begin(named('ada'), '10.0.0.1')).failed();
      await refusal(throttle.begin(named('ada'), '10.0.0.1'));
      expect(await outcomes()).toEqual({ success: 1, failure: 1, throttled: 1 });
      // A withdrawn attempt (the password was never checked) is none of these.
      await (await throttle.begin(named('grace'), '10.0.0.1')).withdrawn();
      expect(await outcomes()).toEqual({ success: 1, failure: 1, throttled: 1 });
    });

    it('both budgets spent together: the refusal names the account’s, and its message the seconds', async () => {
      const throttle = throttleWith(1, 1);
      await fail(throttle, 'ada', '10.0.0.1');
      const refused = await refusal(throttle.begin(named('ada'), '10.0.0.1'));
      expect(refused).toMatchObject({
        status: 429,
        code: 'TOO_MANY_LOGIN_ATTEMPTS',
        details: { scope: 'account' },
      });
      const seconds = refused.details.retryAfterSeconds;
      expect(refused.message).toBe(`Too many failed logins; try again in ${seconds} s`);
    });

    it('both budgets spent: the refusal waits for the later of the two, here the address’s', async () => {
      const throttle = throttleWith(1, 1);
      const start = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(start);
      await fail(throttle, 'ada', '10.0.0.2'); // the account's window: 900 s from now
      jest.spyOn(Date, 'now').mockReturnValue(start + 60_000);
      await fail(throttle, 'grace', '10.0.0.1'); // the address's window: 900 s from a minute later
      const refused = await refusal(throttle.begin(named('ada'), '10.0.0.1'));
      expect(refused.details).toEqual({ retryAfterSeconds: 900, scope: 'address' });
      expect(refused.message).toBe('Too many failed logins; try again in 900 s');
    });

    it('each right password gives the address its attempt back', async () => {
      const throttle = throttleWith(100, 2);
      await (await throttle.begin(named('ada'), '10.0.0.1')).passed();
      await (await throttle.begin(named('ada'), '10.0.0.1')).passed();
      await fail(throttle, 'grace', '10.0.0.1');
      await expect(throttle.begin(named('linus'), '10.0.0.1')).resolves.toBeDefined();
      expect((await refusal(throttle.begin(named('x'), '10.0.0.1'))).details.scope).toBe('address');
    });

    it('a failing store is no verdict: its error is thrown, nothing is counted, and the other budget gets its attempt back', async () => {
      const throttle = throttleWith(100, 1, 900, metrics);
      const storeDown = new Error('connection lost');
      const consume = RateLimiterMemory.prototype.consume;
      jest
        .spyOn(RateLimiterMemory.prototype, 'consume')
        .mockImplementationOnce(() => Promise.reject(storeDown))
        .mockImplementation(function (this: RateLimiterMemory, ...args) {
          return consume.apply(this, args);
        });
      await expect(throttle.begin(named('ada'), '10.0.0.1')).rejects.toBe(storeDown);
      expect(await outcomes()).toEqual({});
      // The address's one attempt was given back.
      await expect(throttle.begin(named('ada'), '10.0.0.1')).resolves.toBeDefined();
    });
  });
});
