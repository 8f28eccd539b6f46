import type { AppConfig } from '@mfm/platform/config/app-config';
import { LoginThrottle } from './login-throttle.service';

const throttleWith = (
  maxFailuresPerUsername: number,
  maxFailuresPerIp: number,
  failureWindowSeconds = 900,
) =>
  new LoginThrottle({
    login: { maxFailuresPerUsername, maxFailuresPerIp, failureWindowSeconds },
  } as AppConfig);

async function refusal(promise: Promise<void>): Promise<{
  status: number;
  code: string;
  details: { retryAfterSeconds: number; scope: string };
}> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as
    | {
        getStatus(): number;
        getResponse(): { code: string; details: { retryAfterSeconds: number; scope: string } };
      }
    | undefined;
  if (!error) throw new Error('expected a refusal');
  return { status: error.getStatus(), ...error.getResponse() };
}

describe('LoginThrottle', () => {
  it('blocks a username after N failures, whatever its case, with a whole-second Retry-After within the window', async () => {
    const throttle = throttleWith(3, 100);
    for (let i = 0; i < 3; i++) {
      await expect(throttle.assertAllowed('Ada', '10.0.0.1')).resolves.toBeUndefined();
      await throttle.recordFailure(i % 2 ? 'ADA' : ' ada ', `10.0.0.${i + 1}`);
    }
    const refused = await refusal(throttle.assertAllowed('ada', '10.0.0.9'));
    expect(refused).toMatchObject({
      status: 429,
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      details: { scope: 'username' },
    });
    expect(Number.isInteger(refused.details.retryAfterSeconds)).toBe(true);
    expect(refused.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.details.retryAfterSeconds).toBeLessThanOrEqual(900);
    // another username from the same addresses is not affected
    await expect(throttle.assertAllowed('grace', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('blocks an address after N failures across different usernames', async () => {
    const throttle = throttleWith(100, 3);
    for (const name of ['a1', 'b2', 'c3']) await throttle.recordFailure(name, '10.0.0.7');
    const refused = await refusal(throttle.assertAllowed('someone-new', '10.0.0.7'));
    expect(refused).toMatchObject({ status: 429, details: { scope: 'address' } });
    await expect(throttle.assertAllowed('someone-new', '10.0.0.8')).resolves.toBeUndefined();
  });

  it('a success clears the username counter (but not the address counter)', async () => {
    const throttle = throttleWith(2, 3);
    await throttle.recordFailure('ada', '10.0.0.1');
    await throttle.recordSuccess('ADA');
    await throttle.recordFailure('ada', '10.0.0.1');
    await expect(throttle.assertAllowed('ada', '10.0.0.2')).resolves.toBeUndefined();
    await throttle.recordFailure('grace', '10.0.0.1');
    expect((await refusal(throttle.assertAllowed('x', '10.0.0.1'))).details.scope).toBe('address');
  });

  it('lifts the block when the window has passed', async () => {
    const throttle = throttleWith(1, 100, 1);
    await throttle.recordFailure('ada', '10.0.0.1');
    const refused = await refusal(throttle.assertAllowed('ada', '10.0.0.1'));
    expect(refused.details.retryAfterSeconds).toBe(1);
    await new Promise((resolve) =>
      setTimeout(resolve, refused.details.retryAfterSeconds * 1000 + 100),
    );
    await expect(throttle.assertAllowed('ada', '10.0.0.1')).resolves.toBeUndefined();
  });
});
