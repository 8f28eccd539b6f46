import { RATE_LIMITS } from './rate-limit-rules';

describe('RATE_LIMITS', () => {
  it('names each limit’s variable after it, with its budget holder and default', () => {
    expect(
      Object.entries(RATE_LIMITS).map(
        ([name, { variable, per, defaults }]) =>
          `${name} ${variable} per ${per} ${defaults.points}/${defaults.durationSeconds}`,
      ),
    ).toEqual([
      'register RATE_LIMIT_REGISTER per address 100/3600',
      'refresh RATE_LIMIT_REFRESH per address 300/60',
      'search RATE_LIMIT_SEARCH per address 1200/60',
      'orders RATE_LIMIT_ORDERS per account 600/60',
      'passwordReset RATE_LIMIT_PASSWORD_RESET per address 10/900',
      'mfa RATE_LIMIT_MFA per address 300/900',
      'emailVerification RATE_LIMIT_EMAIL_VERIFICATION per address 20/3600',
      'feedback RATE_LIMIT_FEEDBACK per address 5/3600',
    ]);
  });
});
