import 'reflect-metadata';
import { ConfigError, loadConfig } from '@mfm/platform/config/load-config';
import { MODULE_SETTINGS } from './module-settings';

/** The environment as the entrypoint reads it: the platform's loader with the modules' parsers. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, MODULE_SETTINGS);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('module settings through loadConfig (src/main.ts)', () => {
  it('defaults to no tax and searches kept 30 days', () => {
    const config = loadConfig({}, MODULE_SETTINGS);
    expect(config.orders.taxRatesBps).toEqual({});
    expect(config.audit.retentionDays).toEqual({ search: 30 });
  });

  it("reads orders' TAX_RATES and logging's AUDIT_RETENTION_DAYS", () => {
    const config = loadConfig(
      { TAX_RATES: 'beverages=20,dairy=5.5', AUDIT_RETENTION_DAYS: 'login_failed=90' },
      MODULE_SETTINGS,
    );
    expect(config.orders.taxRatesBps).toEqual({ beverages: 2000, dairy: 550 });
    expect(config.audit.retentionDays).toEqual({ search: 30, login_failed: 90 });
  });

  it('reports a bad TAX_RATES once, with what is wrong in it', () => {
    expect(problemsOf({ TAX_RATES: 'dairy=5.5,beverages' })).toEqual([
      'TAX_RATES: "beverages" is not category=percent (e.g. beverages=20 or dairy=5.5)',
    ]);
  });

  it('reports a bad AUDIT_RETENTION_DAYS once, with what is wrong in it', () => {
    expect(problemsOf({ AUDIT_RETENTION_DAYS: 'search=-1' })).toEqual([
      'AUDIT_RETENTION_DAYS: "search=-1" is not type=days (e.g. search=30; 0 keeps forever)',
    ]);
  });

  it("gathers every module's request limits, each named after its variable", () => {
    expect(
      MODULE_SETTINGS.rateLimits.map(
        ({ name, variable, per, defaults }) =>
          `${name} ${variable} per ${per} ${defaults.points}/${defaults.durationSeconds}`,
      ),
    ).toEqual([
      'register RATE_LIMIT_REGISTER per address 100/3600',
      'refresh RATE_LIMIT_REFRESH per address 300/60',
      'passwordReset RATE_LIMIT_PASSWORD_RESET per address 10/900',
      'mfa RATE_LIMIT_MFA per address 300/900',
      'emailVerification RATE_LIMIT_EMAIL_VERIFICATION per address 20/3600',
      'feedback RATE_LIMIT_FEEDBACK per address 5/3600',
      'search RATE_LIMIT_SEARCH per address 1200/60',
      'orders RATE_LIMIT_ORDERS per account 600/60',
      'backups RATE_LIMIT_BACKUPS per account 30/3600',
    ]);
    expect(loadConfig({ RATE_LIMIT_MFA: '3/60' }, MODULE_SETTINGS).rateLimits).toMatchObject({
      mfa: { points: 3, durationSeconds: 60 },
      orders: { points: 600, durationSeconds: 60 },
    });
    expect(problemsOf({ RATE_LIMIT_FEEDBACK: 'often' })).toEqual([
      'RATE_LIMIT_FEEDBACK: "often" is not <requests>/<seconds> (e.g. 1200/60)',
    ]);
  });
});
