import { parseRateLimitRule, rateLimit } from './rate-limit-rules';

describe('rateLimit', () => {
  it('names the variable after the limit, words split at capitals', () => {
    expect(rateLimit('passwordReset', 'address', [10, 900], 'resets')).toEqual({
      name: 'passwordReset',
      variable: 'RATE_LIMIT_PASSWORD_RESET',
      per: 'address',
      defaults: { points: 10, durationSeconds: 900 },
      counts: 'resets',
    });
    expect(rateLimit('search', 'account', [1, 1], 'searches').variable).toBe('RATE_LIMIT_SEARCH');
  });
});

describe('parseRateLimitRule', () => {
  it('reads <requests>/<seconds>, spaces allowed; unset is no rule', () => {
    expect(parseRateLimitRule(' 1200 / 60 ')).toEqual({ points: 1200, durationSeconds: 60 });
    expect(parseRateLimitRule('1000000/86400')).toEqual({
      points: 1_000_000,
      durationSeconds: 86_400,
    });
    expect(parseRateLimitRule(undefined)).toBeUndefined();
  });

  it('refuses other forms and values out of range, saying which', () => {
    expect(() => parseRateLimitRule('1200 per minute')).toThrow(
      '"1200 per minute" is not <requests>/<seconds> (e.g. 1200/60)',
    );
    expect(() => parseRateLimitRule('1.5/60')).toThrow('is not <requests>/<seconds>');
    expect(() => parseRateLimitRule('1000001/60')).toThrow('must be 1-1000000');
    expect(() => parseRateLimitRule('5/0')).toThrow('the window must be 1-86400 seconds');
  });
});
