import type { AppConfig } from '../config/app-config';
import { rateLimit } from '../config/rate-limit-rules';
import { RateLimits } from './rate-limits';

describe('RateLimits (in memory)', () => {
  const search = rateLimit('search', 'address', [3, 60], 'searches');
  const limits = (rateLimits: AppConfig['rateLimits']) =>
    new RateLimits({ rateLimits } as AppConfig, undefined);

  it('counts each key against the configured rule and refuses past it', async () => {
    const configured = limits({ search: { points: 2, durationSeconds: 60 } });
    const first = await configured.take(search, 'a');
    expect(first).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect((await configured.take(search, 'a')).remaining).toBe(0);
    expect(await configured.take(search, 'a')).toMatchObject({ allowed: false, remaining: 0 });
    // Another key has its own budget.
    expect(await configured.take(search, 'b')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("keeps the limit's default when the configuration does not name it", async () => {
    const unconfigured = limits({});
    for (const remaining of [2, 1, 0])
      expect(await unconfigured.take(search, 'a')).toMatchObject({
        allowed: true,
        limit: 3,
        remaining,
      });
    expect((await unconfigured.take(search, 'a')).allowed).toBe(false);
  });
});
