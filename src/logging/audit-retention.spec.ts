import { parseAuditRetention } from './audit-retention';

describe('parseAuditRetention (AUDIT_RETENTION_DAYS)', () => {
  it('keeps searches 30 days unless told otherwise', () => {
    expect(parseAuditRetention(undefined)).toEqual({ search: 30 });
    expect(parseAuditRetention('')).toEqual({ search: 30 });
  });

  it('takes type=days pairs over the default; 0 keeps a type forever', () => {
    expect(parseAuditRetention('search=7, login_failed=90')).toEqual({
      search: 7,
      login_failed: 90,
    });
    expect(parseAuditRetention('search=0')).toEqual({ search: 0 });
  });

  it('refuses what is not type=days, naming the entry', () => {
    expect(() => parseAuditRetention('search')).toThrow('"search" is not type=days');
    expect(() => parseAuditRetention('search=-1')).toThrow('"search=-1"');
    expect(() => parseAuditRetention('Search=1')).toThrow('"Search=1"');
    expect(() => parseAuditRetention('search=1.5')).toThrow('"search=1.5"');
  });
});
