import { MODULE_NAMES } from './module-names';
import { MissingServiceError, UnknownServiceError, selectServices } from './select-services';

describe('selectServices', () => {
  const ALL = ['users', 'products', 'search', 'orders', 'logging'];

  it('hosts all five modules when neither the flag nor SERVICE is given', () => {
    expect(selectServices([], {})).toEqual(ALL);
    expect(MODULE_NAMES).toEqual(ALL);
  });

  it('reads `--service <name>`', () => {
    expect(selectServices(['--service', 'users'], {})).toEqual(['users']);
  });

  it('reads the `--service=<name>` form', () => {
    expect(selectServices(['--service=logging'], {})).toEqual(['logging']);
  });

  it('reads SERVICE from the environment', () => {
    expect(selectServices([], { SERVICE: 'products' })).toEqual(['products']);
  });

  it('lets the flag override SERVICE', () => {
    expect(selectServices(['--service', 'orders'], { SERVICE: 'users' })).toEqual(['orders']);
    expect(selectServices(['--service=search'], { SERVICE: 'users' })).toEqual(['search']);
  });

  it('accepts a comma-separated list, in any case and with spaces, and keeps the canonical order', () => {
    expect(selectServices(['--service', 'logging,users'], {})).toEqual(['users', 'logging']);
    expect(selectServices([], { SERVICE: ' Logging , USERS ,search' })).toEqual([
      'users',
      'search',
      'logging',
    ]);
  });

  it('drops repeated names', () => {
    expect(selectServices(['--service', 'users,logging,users,users'], {})).toEqual([
      'users',
      'logging',
    ]);
  });

  it('treats "all" and an empty SERVICE as every module', () => {
    expect(selectServices(['--service', 'all'], {})).toEqual(ALL);
    expect(selectServices([], { SERVICE: '' })).toEqual(ALL);
  });

  it('ignores unrelated arguments around the flag', () => {
    expect(selectServices(['--inspect', '--service', 'search', '--verbose'], {})).toEqual([
      'search',
    ]);
  });

  it('rejects an unknown name, naming it and listing every valid one', () => {
    let caught: unknown;
    try {
      selectServices(['--service', 'billing'], {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownServiceError);
    const error = caught as UnknownServiceError;
    expect(error.unknown).toEqual(['billing']);
    expect(error.message).toContain('billing');
    for (const name of ALL) expect(error.message).toContain(name);
  });

  it('names every unknown entry of a list that also has valid ones', () => {
    expect(() => selectServices([], { SERVICE: 'users,billing,stock' })).toThrow(
      UnknownServiceError,
    );
    try {
      selectServices([], { SERVICE: 'users,billing,stock' });
    } catch (error) {
      expect((error as UnknownServiceError).unknown).toEqual(['billing', 'stock']);
    }
  });

  it('rejects a list with no names in it', () => {
    expect(() => selectServices(['--service', ' , ,'], {})).toThrow(UnknownServiceError);
  });

  it('refuses --service without a value instead of running all five', () => {
    for (const argv of [
      ['--service'],
      ['--service', ''],
      ['--service='],
      ['--service', '--classic'],
    ]) {
      expect(() => selectServices(argv, {})).toThrow(MissingServiceError);
    }
    expect(() => selectServices(['--service'], {})).toThrow('--service needs a value');
    // An empty SERVICE variable still means "unset", as for every other variable.
    expect(selectServices([], { SERVICE: '' })).toHaveLength(5);
  });
});
