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
});
