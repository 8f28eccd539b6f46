import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/load-config';
import { DEFAULT_CLASSIC_JWT_KEY } from '../config/load-config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('classic API profile configuration', () => {
  it('is off by default, with the original ports and key', () => {
    expect(loadConfig({}).classic).toEqual({
      enabled: false,
      jwtKey: DEFAULT_CLASSIC_JWT_KEY,
      ports: { users: 9000, products: 9001, search: 9002, orders: 9003, logging: 9004 },
    });
  });

  it('reads CLASSIC_API, the ports and the key', () => {
    const config = loadConfig({
      CLASSIC_API: 'yes',
      CLASSIC_SEARCH_PORT: '19002',
      CLASSIC_JWT_KEY: 'a-shop-specific-key-123',
    });
    expect(config.classic.enabled).toBe(true);
    expect(config.classic.ports.search).toBe(19002);
    expect(config.classic.ports.users).toBe(9000);
    expect(config.classic.jwtKey).toBe('a-shop-specific-key-123');
  });

  it('in production refuses the profile unless enabled for production and given a key, in one line', () => {
    const refusal = (env: NodeJS.ProcessEnv): string => {
      try {
        loadConfig({ NODE_ENV: 'production', CLASSIC_API: '1', ...env });
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return '';
    };
    expect(refusal({})).toBe(
      'Invalid configuration: CLASSIC_API: the classic profile is refused when NODE_ENV=production unless CLASSIC_API_PRODUCTION=true and CLASSIC_JWT_KEY (16-512 characters) are set too (its tokens never expire; the default key is public)',
    );
    expect(refusal({ CLASSIC_JWT_KEY: 'a-shop-specific-key-123' })).toMatch(
      /unless CLASSIC_API_PRODUCTION=true is set too/,
    );
    expect(refusal({ CLASSIC_API_PRODUCTION: 'true' })).toMatch(
      /unless CLASSIC_JWT_KEY \(16-512 characters\) is set too/,
    );
    const config = loadConfig({
      NODE_ENV: 'production',
      CLASSIC_API: '1',
      CLASSIC_API_PRODUCTION: 'true',
      CLASSIC_JWT_KEY: 'a-shop-specific-key-123',
    });
    expect(config.classic).toMatchObject({ enabled: true, jwtKey: 'a-shop-specific-key-123' });
    // Off, the profile needs nothing; outside production, the original key stays the default.
    expect(loadConfig({ NODE_ENV: 'production' }).classic.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', CLASSIC_API: '1' }).classic.jwtKey).toBe(
      DEFAULT_CLASSIC_JWT_KEY,
    );
  });

  it('refuses bad values, and does not print the key', () => {
    const problems = problemsOf({
      CLASSIC_API: 'maybe',
      CLASSIC_ORDERS_PORT: '70000',
      CLASSIC_JWT_KEY: 'short-secret',
    });
    expect(problems.some((p) => p.startsWith('CLASSIC_API='))).toBe(true);
    expect(problems.some((p) => p.startsWith('CLASSIC_ORDERS_PORT='))).toBe(true);
    expect(problems.some((p) => p.startsWith('CLASSIC_JWT_KEY=<redacted>'))).toBe(true);
    expect(problems.join('\n')).not.toContain('short-secret');
  });

  it('refuses a classic port that collides with another port while the profile is on', () => {
    expect(problemsOf({ CLASSIC_API: '1', CLASSIC_USERS_PORT: '3000' })).toEqual([
      'CLASSIC_USERS_PORT=3000: the same port as HTTP_PORT',
    ]);
    expect(problemsOf({ CLASSIC_API: '1', CLASSIC_LOGGING_PORT: '4002' })).toEqual([
      'CLASSIC_LOGGING_PORT=4002: the same port as PRODUCTS_TCP_PORT',
    ]);
    expect(problemsOf({ CLASSIC_API: '1', SEARCH_HTTP_PORT: '9000' })).toEqual([
      'CLASSIC_USERS_PORT=9000: the same port as SEARCH_HTTP_PORT',
    ]);
    expect(problemsOf({ CLASSIC_API: '1', CLASSIC_ORDERS_PORT: '9001' })).toEqual([
      'CLASSIC_ORDERS_PORT=9001: the same port as CLASSIC_PRODUCTS_PORT',
    ]);
    // Off: the classic ports are not opened, so they cannot collide.
    expect(problemsOf({ CLASSIC_USERS_PORT: '3000' })).toEqual([]);
  });
});
