import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { refusal } from '@mfm/platform/testing/refusal';
import { LoginThrottle } from '../../src/users/login-throttle.service';

/**
 * The login throttle's outcomes as /metrics counts them, which budget a refusal names, and a
 * failing store (what src/users/login-throttle.service.spec.ts does not cover).
 */
describe('LoginThrottle: outcomes, the refusal’s scope, a failing store', () => {
  let metrics: Metrics;
  const throttleWith = (maxFailuresPerUsername: number, maxFailuresPerIp: number) =>
    new LoginThrottle(
      {
        login: { maxFailuresPerUsername, maxFailuresPerIp, failureWindowSeconds: 900 },
      } as AppConfig,
      undefined,
      metrics,
    );
  const outcomes = async () =>
    Object.fromEntries(
      (await metrics.logins.get()).values.map((v) => [String(v.labels.outcome), v.value]),
    );

  beforeEach(() => {
    metrics = new Metrics('users');
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts right passwords, wrong ones and refusals', async () => {
    const throttle = throttleWith(1, 100);
    await (await throttle.begin({ identifier: 'ada' }, '10.0.0.1')).passed();
    (await throttle.begin({ identifier: 'ada' }, '10.0.0.1')).failed();
    await refusal(throttle.begin({ identifier: 'ada' }, '10.0.0.1'));
    expect(await outcomes()).toEqual({ success: 1, failure: 1, throttled: 1 });
    // A withdrawn attempt (the password was never checked) is none of these.
    await (await throttle.begin({ identifier: 'grace' }, '10.0.0.1')).withdrawn();
    expect(await outcomes()).toEqual({ success: 1, failure: 1, throttled: 1 });
  });

  it('both budgets spent: the refusal names the account’s when both end together', async () => {
    const throttle = throttleWith(1, 1);
    await throttle.begin({ identifier: 'ada' }, '10.0.0.1');
    const refused = await refusal(throttle.begin({ identifier: 'ada' }, '10.0.0.1'));
    expect(refused).toMatchObject({
      status: 429,
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      details: { scope: 'account' },
    });
    const seconds = refused.details?.retryAfterSeconds as number;
    expect(refused.message).toBe(`Too many failed logins; try again in ${seconds} s`);
  });

  it('a right password gives the address its attempt back', async () => {
    const throttle = throttleWith(100, 2);
    await (await throttle.begin({ identifier: 'ada' }, '10.0.0.1')).passed();
    await (await throttle.begin({ identifier: 'ada' }, '10.0.0.1')).passed();
    await throttle.begin({ identifier: 'grace' }, '10.0.0.1');
    await expect(throttle.begin({ identifier: 'linus' }, '10.0.0.1')).resolves.toBeDefined();
    expect((await refusal(throttle.begin({ identifier: 'x' }, '10.0.0.1'))).details).toMatchObject({
      scope: 'address',
    });
  });

  it('a failing store is no verdict: its error is thrown, and the other budget gets its attempt back', async () => {
    const throttle = throttleWith(100, 1);
    const storeDown = new Error('connection lost');
    const consume = RateLimiterMemory.prototype.consume;
    jest
      .spyOn(RateLimiterMemory.prototype, 'consume')
      .mockImplementationOnce(() => Promise.reject(storeDown))
      .mockImplementation(function (this: RateLimiterMemory, ...args) {
        return consume.apply(this, args);
      });
    await expect(throttle.begin({ identifier: 'ada' }, '10.0.0.1')).rejects.toBe(storeDown);
    expect(await outcomes()).toEqual({});
    // The address's one attempt was given back.
    await expect(throttle.begin({ identifier: 'ada' }, '10.0.0.1')).resolves.toBeDefined();
  });
});
