import 'reflect-metadata';
import { MODULE_NAMES } from '../topology/module-names';
import { ConfigError, loadConfig } from './load-config';

function problemsOf(env: NodeJS.ProcessEnv): { error: ConfigError; text: string } {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return { error, text: [error.message, ...error.problems].join('\n') };
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  describe('defaults (empty environment)', () => {
    const config = loadConfig({});

    it('runs in development with a 3 s RPC timeout, info logs and the demo accounts', () => {
      expect(config.nodeEnv).toBe('development');
      expect(config.rpcTimeoutMs).toBe(3000);
      expect(config.logLevel).toBe('info');
      expect(config.seedDemo).toBe(true);
      expect(config.dataDir).toBe('./data');
      expect(config.bootstrapEmployee).toBeUndefined();
    });

    it('gives every module its own TCP port, none of them 3000 (the HTTP port and the TCP transport default)', () => {
      const tcpPorts = MODULE_NAMES.map((name) => config.modules[name].tcpPort);
      expect(tcpPorts).not.toContain(3000);
      expect(new Set(tcpPorts).size).toBe(MODULE_NAMES.length);
    });

    it('never gives two listeners the same port', () => {
      const all = [
        config.httpPort,
        ...MODULE_NAMES.flatMap((name) => [
          config.modules[name].tcpPort,
          config.modules[name].httpPort,
        ]),
      ];
      expect(new Set(all).size).toBe(all.length);
      // A module's own HTTP port (split mode) is not the single-process one either.
      expect(MODULE_NAMES.map((name) => config.modules[name].httpPort)).not.toContain(
        config.httpPort,
      );
    });

    it('reaches peers on the loopback address unless told otherwise', () => {
      for (const name of MODULE_NAMES) expect(config.modules[name].host).toBe('127.0.0.1');
    });
  });

  it('reads and converts the variables it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      USERS_TCP_PORT: '5101',
      LOGGING_HOST: 'logging.internal',
      LOGGING_HTTP_PORT: '8085',
      RPC_TIMEOUT_MS: '750',
      SEED_DEMO: 'no',
      HTTP_PORT: '8080',
    });
    expect(config.modules.users.tcpPort).toBe(5101);
    expect(config.modules.logging).toEqual({
      host: 'logging.internal',
      tcpPort: config.modules.logging.tcpPort,
      httpPort: 8085,
    });
    expect(config.rpcTimeoutMs).toBe(750);
    expect(config.seedDemo).toBe(false);
    expect(config.httpPort).toBe(8080);
    expect(config.logLevel).toBe('warn'); // the test default
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ RPC_TIMEOUT_MS: '', USERS_TCP_PORT: '' }).rpcTimeoutMs).toBe(3000);
  });

  it('reports every bad variable in one error, showing the value that was set', () => {
    const { error, text } = problemsOf({
      USERS_TCP_PORT: 'abc',
      RPC_TIMEOUT_MS: '-5',
      LOG_LEVEL: 'loud',
      ORDERS_HOST: 'bad host!',
      NODE_ENV: 'staging',
    });
    const named = new Set(error.problems.map((problem) => problem.split('=')[0]));
    expect([...named].sort()).toEqual([
      'LOG_LEVEL',
      'NODE_ENV',
      'ORDERS_HOST',
      'RPC_TIMEOUT_MS',
      'USERS_TCP_PORT',
    ]);
    expect(text).toContain('USERS_TCP_PORT="abc"');
    expect(text).toContain('RPC_TIMEOUT_MS="-5"');
    expect(text).toContain('LOG_LEVEL="loud"');
    // One problem per variable, however many of its rules it breaks.
    expect(error.problems).toHaveLength(5);
    expect(error.message).toMatch(/^Invalid configuration \(5 problems\)/);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('names a bad secret without echoing its value', () => {
    const { error, text } = problemsOf({
      BOOTSTRAP_EMPLOYEE_USERNAME: 'owner',
      BOOTSTRAP_EMPLOYEE_PASSWORD: 'Zq9#x',
      BOOTSTRAP_EMPLOYEE_EMAIL: 'not-an-email',
    });
    expect(error.problems.some((p) => p.startsWith('BOOTSTRAP_EMPLOYEE_PASSWORD='))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('BOOTSTRAP_EMPLOYEE_EMAIL='))).toBe(true);
    expect(text).not.toContain('Zq9#x');
    expect(text).toContain('<redacted>');
  });

  it('requires the password and email of a bootstrap employee', () => {
    const { error } = problemsOf({ BOOTSTRAP_EMPLOYEE_USERNAME: 'owner' });
    expect(error.problems.some((p) => p.startsWith('BOOTSTRAP_EMPLOYEE_PASSWORD'))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('BOOTSTRAP_EMPLOYEE_EMAIL'))).toBe(true);
    const ok = loadConfig({
      BOOTSTRAP_EMPLOYEE_USERNAME: 'owner',
      BOOTSTRAP_EMPLOYEE_PASSWORD: 'Long-enough-1',
      BOOTSTRAP_EMPLOYEE_EMAIL: 'o@example.com',
    });
    expect(ok.bootstrapEmployee).toEqual({
      username: 'owner',
      password: 'Long-enough-1',
      email: 'o@example.com',
    });
  });

  it('refuses the demo accounts in production, alongside any other problem', () => {
    const { error } = problemsOf({ NODE_ENV: 'production', SEED_DEMO: 'true', LOG_LEVEL: 'loud' });
    expect(error.problems.some((p) => p.startsWith('SEED_DEMO') && /production/.test(p))).toBe(
      true,
    );
    expect(error.problems.some((p) => p.startsWith('LOG_LEVEL'))).toBe(true);
  });

  it('does not seed demo accounts in production by default', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('rejects a SEED_DEMO that is not a yes/no value', () => {
    expect(
      problemsOf({ SEED_DEMO: 'maybe' }).error.problems.some((p) => p.startsWith('SEED_DEMO=')),
    ).toBe(true);
  });
});

describe('loadConfig: <MODULE>_DATABASE_URL', () => {
  it('puts that module alone on PostgreSQL', () => {
    const config = loadConfig({ PRODUCTS_DATABASE_URL: 'postgres://mfm:pw@db:5432/products' });
    expect(config.modules.products.databaseUrl).toBe('postgres://mfm:pw@db:5432/products');
    for (const module of MODULE_NAMES.filter((m) => m !== 'products'))
      expect(config.modules[module].databaseUrl).toBeUndefined();
  });

  it('refuses anything but a postgres:// URL naming a database', () => {
    for (const url of ['mysql://u:p@db/x', 'postgres://u:p@db', 'users.sqlite']) {
      let error: unknown;
      try {
        loadConfig({ ORDERS_DATABASE_URL: url });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('ORDERS_DATABASE_URL');
    }
  });
});

describe('loadConfig: browsers (CORS_ORIGINS, REFRESH_COOKIE_SECURE)', () => {
  it('has CORS off and a Secure refresh cookie by default', () => {
    expect(loadConfig({}).browser).toEqual({ corsOrigins: [], refreshCookieSecure: true });
  });

  it('reads the listed origins and lets development turn Secure off', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://shop.example,http://localhost:5173',
      REFRESH_COOKIE_SECURE: 'false',
    });
    expect(config.browser).toEqual({
      corsOrigins: ['https://shop.example', 'http://localhost:5173'],
      refreshCookieSecure: false,
    });
  });

  it('refuses an origin that is not exact, naming the variable', () => {
    const { error } = problemsOf({ CORS_ORIGINS: 'https://shop.example/,*' });
    expect(error.problems).toEqual([expect.stringMatching(/^CORS_ORIGINS: "https:\/\/shop/)]);
  });

  it('refuses a refresh cookie without Secure in production', () => {
    const { error } = problemsOf({ NODE_ENV: 'production', REFRESH_COOKIE_SECURE: 'off' });
    expect(error.problems).toEqual([expect.stringMatching(/^REFRESH_COOKIE_SECURE: .*production/)]);
    expect(loadConfig({ NODE_ENV: 'production' }).browser.refreshCookieSecure).toBe(true);
  });
});
