import 'reflect-metadata';
import { join } from 'node:path';
import { MODULE_NAMES } from '../topology/module-names';
import { ConfigError, loadConfig } from './load-config';
import { NO_MODULE_SETTINGS, type ModuleSettings } from './module-settings';
import { rateLimit } from './rate-limit-rules';

function problemsOf(
  env: NodeJS.ProcessEnv,
  modules?: ModuleSettings,
): { error: ConfigError; text: string } {
  try {
    loadConfig(env, modules);
  } catch (error) {
    if (error instanceof ConfigError)
      return { error, text: [error.message, ...error.problems].join('\n') };
    throw error;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig: mail, data keys, accounts, passkeys', () => {
  it('defaults to .eml files, links to localhost, verified addresses to order, no employee MFA', () => {
    const config = loadConfig({ HTTP_PORT: '3100', USERS_HTTP_PORT: '3101' });
    expect(config.mail).toEqual({
      smtpUrl: undefined,
      from: 'Micro Foods Market <no-reply@microfoods.example>',
      publicUrl: 'http://localhost:3100',
      feedbackEmail: undefined,
    });
    expect(config.accounts).toEqual({
      requireEmployeeMfa: false,
      requireVerifiedEmailToOrder: true,
      stepUpWindowSeconds: 600,
    });
    expect(config.login.codeMailsPerHour).toBe(5);
    expect(config.webauthn.rpId).toBe('localhost');
    expect(config.webauthn.origins).toEqual(
      expect.arrayContaining(['http://localhost:3100', 'http://localhost:3101']),
    );
  });

  it('takes the passkeys from PUBLIC_URL in production, and lists only it', () => {
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example/' });
    expect(config.mail.publicUrl).toBe('https://shop.example');
    expect(config.webauthn).toMatchObject({
      rpId: 'shop.example',
      origins: ['https://shop.example'],
    });
  });

  it('refuses a bad SMTP_URL, PUBLIC_URL, FEEDBACK_EMAIL or key without echoing secrets', () => {
    const { text } = problemsOf({
      SMTP_URL: 'http://mail.example',
      PUBLIC_URL: 'shop.example',
      FEEDBACK_EMAIL: 'nobody',
      DATA_ENCRYPTION_KEYS: 'k1:dG9vc2hvcnQ=',
      WEBAUTHN_ORIGINS: 'https://shop.example/path',
    });
    for (const name of [
      'SMTP_URL',
      'PUBLIC_URL',
      'FEEDBACK_EMAIL',
      'DATA_ENCRYPTION_KEYS',
      'WEBAUTHN_ORIGINS',
    ])
      expect(text).toContain(name);
    expect(text).not.toContain('dG9vc2hvcnQ=');
    expect(text).not.toContain('mail.example');
  });
});

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

    it('listens on the loopback address only: a container or a cluster sets BIND_HOST=0.0.0.0', () => {
      expect(config.bindHost).toBe('127.0.0.1');
    });

    it('keeps the bus credentials in <DATA_DIR>/tls, frames to 1 MiB, a stalled frame to 10 s', () => {
      expect(config.bus).toEqual({
        tlsDir: join('./data', 'tls'),
        maxFrameBytes: 1024 * 1024,
        frameTimeoutMs: 10_000,
        maxConnections: 256,
        maxConnectionsPerAddress: 64,
      });
      expect(loadConfig({ DATA_DIR: '/srv/mfm' }).bus.tlsDir).toBe('/srv/mfm/tls');
    });
  });

  it('reads the bus settings and refuses frame limits too small for a message or not numbers', () => {
    expect(
      loadConfig({
        BUS_TLS_DIR: '/run/secrets/bus-tls',
        BUS_MAX_FRAME_BYTES: '262144',
        BUS_FRAME_TIMEOUT_MS: '2500',
        BUS_MAX_CONNECTIONS: '100',
        BUS_MAX_CONNECTIONS_PER_ADDRESS: '10',
        BIND_HOST: '0.0.0.0',
      }),
    ).toMatchObject({
      bindHost: '0.0.0.0',
      bus: {
        tlsDir: '/run/secrets/bus-tls',
        maxFrameBytes: 262_144,
        frameTimeoutMs: 2500,
        maxConnections: 100,
        maxConnectionsPerAddress: 10,
      },
    });
    const { text } = problemsOf({
      BUS_MAX_FRAME_BYTES: '1000',
      BUS_FRAME_TIMEOUT_MS: 'soon',
      BUS_MAX_CONNECTIONS: '0',
      BUS_MAX_CONNECTIONS_PER_ADDRESS: 'many',
    });
    expect(text).toContain('BUS_MAX_FRAME_BYTES="1000"');
    expect(text).toContain('BUS_FRAME_TIMEOUT_MS="soon"');
    expect(text).toContain('BUS_MAX_CONNECTIONS="0"');
    expect(text).toContain('BUS_MAX_CONNECTIONS_PER_ADDRESS="many"');
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
      tcpAddresses: [{ host: 'logging.internal', port: config.modules.logging.tcpPort }],
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

  it('takes numbers only in plain decimal digits', () => {
    for (const value of ['3e3', '0x0CA8', ' 3240', '3240 ', '+3240', '3240.0', '1_000']) {
      const { error, text } = problemsOf({ HTTP_PORT: value, USERS_TCP_PORT: value });
      expect(error.problems.map((p) => p.split('=')[0]).sort()).toEqual([
        'HTTP_PORT',
        'USERS_TCP_PORT',
      ]);
      expect(text).toContain(`HTTP_PORT=${JSON.stringify(value)}`);
      expect(text).toContain('plain decimal digits');
    }
    expect(loadConfig({ HTTP_PORT: '3240', RPC_TIMEOUT_MS: '750' })).toMatchObject({
      httpPort: 3240,
      rpcTimeoutMs: 750,
    });
  });

  it('shows the value of a bad setting that is not a secret, and hides secrets and database URLs', () => {
    const { text } = problemsOf({
      ACCESS_TOKEN_TTL_SECONDS: '5',
      ORDERS_DATABASE_URL: 'postgres://mfm:hunter2@db',
      CLASSIC_JWT_KEY: 'short',
    });
    expect(text).toContain('ACCESS_TOKEN_TTL_SECONDS="5"');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('"short"');
    expect(text).toContain('ORDERS_DATABASE_URL=<redacted>');
    expect(text).toContain('CLASSIC_JWT_KEY=<redacted>');
  });
});

describe('loadConfig: module settings (TAX_RATES, AUDIT_RETENTION_DAYS)', () => {
  // The modules' parsers are theirs (src/module-settings.ts); these stand in to show the loader.
  const modules: ModuleSettings = {
    taxRatesBps: (text) => {
      if (text === 'bad') throw new Error('"bad" is not a tax rate');
      return { read: Number(text ?? 0) };
    },
    auditRetentionDays: (text) => ({ days: Number(text ?? 30) }),
    rateLimits: [],
  };

  it("gives each module's parser its variable and keeps what it reads", () => {
    const config = loadConfig({ TAX_RATES: '20', AUDIT_RETENTION_DAYS: '7' }, modules);
    expect(config.orders.taxRatesBps).toEqual({ read: 20 });
    expect(config.audit.retentionDays).toEqual({ days: 7 });
    expect(loadConfig({}, modules).audit.retentionDays).toEqual({ days: 30 });
  });

  it("lists a module setting's error once, named by its variable, with the others", () => {
    try {
      loadConfig({ TAX_RATES: 'bad', RPC_TIMEOUT_MS: 'soon' }, modules);
      throw new Error('loadConfig accepted an invalid environment');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      expect(error.problems.filter((p) => p.startsWith('TAX_RATES'))).toEqual([
        'TAX_RATES: "bad" is not a tax rate',
      ]);
      expect(error.problems.some((p) => p.startsWith('RPC_TIMEOUT_MS'))).toBe(true);
    }
  });

  it('reads no module setting without the modules (a tool, the platform alone)', () => {
    const config = loadConfig({ TAX_RATES: 'beverages=20', AUDIT_RETENTION_DAYS: 'search=7' });
    expect(config.orders.taxRatesBps).toEqual({});
    expect(config.audit.retentionDays).toEqual({});
  });
});

describe('loadConfig: TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
  });

  it('reads a comma list of addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(
      loadConfig({ TRUST_PROXY: ' 172.28.0.10, 10.0.0.0/8,::1 ,fd00::/8' }).trustProxy,
    ).toEqual(['172.28.0.10', '10.0.0.0/8', '::1', 'fd00::/8']);
  });

  it('refuses anything else, naming the entry', () => {
    for (const bad of ['gateway', '10.0.0.0/33', '10.0.0.1/8/1', '::1/129', '300.1.1.1', '*']) {
      const { text } = problemsOf({ TRUST_PROXY: `127.0.0.1,${bad}` });
      expect(text).toContain(`TRUST_PROXY: "${bad}" is not an IP address or CIDR range`);
    }
  });
});

describe('loadConfig: RATE_LIMIT_*', () => {
  // The modules declare their limits (src/*/rate-limits.ts); these stand in to show the loader.
  const limits: ModuleSettings = {
    ...NO_MODULE_SETTINGS,
    rateLimits: [
      rateLimit('register', 'address', [100, 3600], 'sign-ups'),
      rateLimit('search', 'address', [1200, 60], 'searches'),
      rateLimit('orders', 'account', [600, 60], 'orders'),
      rateLimit('passwordReset', 'address', [10, 900], 'password resets'),
    ],
  };
  const problemsWith = (env: NodeJS.ProcessEnv): string[] => problemsOf(env, limits).error.problems;

  it("keeps each module limit's default when its variable is unset", () => {
    expect(loadConfig({}, limits).rateLimits).toEqual({
      register: { points: 100, durationSeconds: 3600 },
      search: { points: 1200, durationSeconds: 60 },
      orders: { points: 600, durationSeconds: 60 },
      passwordReset: { points: 10, durationSeconds: 900 },
    });
  });

  it('reads <requests>/<seconds> from the variable named after the limit', () => {
    const config = loadConfig(
      {
        RATE_LIMIT_SEARCH: '30/10',
        RATE_LIMIT_ORDERS: ' 5 / 60 ',
        RATE_LIMIT_PASSWORD_RESET: '3/60',
      },
      limits,
    );
    expect(config.rateLimits.search).toEqual({ points: 30, durationSeconds: 10 });
    expect(config.rateLimits.orders).toEqual({ points: 5, durationSeconds: 60 });
    expect(config.rateLimits.passwordReset).toEqual({ points: 3, durationSeconds: 60 });
    expect(config.rateLimits.register).toEqual({ points: 100, durationSeconds: 3600 });
  });

  it('refuses another form or values out of range, once per variable, with the others', () => {
    const problems = problemsWith({
      RATE_LIMIT_SEARCH: '30 per minute',
      RATE_LIMIT_REGISTER: '0/60',
      RATE_LIMIT_PASSWORD_RESET: '10/90000',
      RATE_LIMIT_ORDERS: '-1/60',
      RPC_TIMEOUT_MS: 'soon',
    });
    expect(problems.filter((p) => p.startsWith('RATE_LIMIT_'))).toEqual([
      'RATE_LIMIT_REGISTER: "0/60": the number of requests must be 1-1000000',
      'RATE_LIMIT_SEARCH: "30 per minute" is not <requests>/<seconds> (e.g. 1200/60)',
      'RATE_LIMIT_ORDERS: "-1/60" is not <requests>/<seconds> (e.g. 1200/60)',
      'RATE_LIMIT_PASSWORD_RESET: "10/90000": the window must be 1-86400 seconds',
    ]);
    expect(problems.some((p) => p.startsWith('RPC_TIMEOUT_MS'))).toBe(true);
  });

  it('reads no limit without the modules (a tool, the platform alone)', () => {
    expect(loadConfig({ RATE_LIMIT_SEARCH: 'nonsense' }).rateLimits).toEqual({});
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

describe('loadConfig: backups (BACKUP_*)', () => {
  it('keeps seven backups under <DATA_DIR>/backups, with no schedule and no passphrase', () => {
    expect(loadConfig({ DATA_DIR: '/srv/shop' }).backup).toEqual({
      passphrase: undefined,
      schedule: undefined,
      dir: join('/srv/shop', 'backups'),
      keep: 7,
    });
  });

  it('reads a cron schedule, a folder, how many to keep and the passphrase', () => {
    expect(
      loadConfig({
        BACKUP_SCHEDULE: '0 3 * * *',
        BACKUP_DIR: '/backups',
        BACKUP_KEEP: '30',
        BACKUP_PASSPHRASE: 'twelve chars or more',
      }).backup,
    ).toEqual({
      schedule: '0 3 * * *',
      dir: '/backups',
      keep: 30,
      passphrase: 'twelve chars or more',
    });
  });

  it('refuses a schedule that is not cron, keeping none, and a short passphrase, naming each', () => {
    const { text } = problemsOf({
      BACKUP_SCHEDULE: 'every night',
      BACKUP_KEEP: '0',
      BACKUP_PASSPHRASE: 'short',
    });
    expect(text).toMatch(/BACKUP_SCHEDULE: not a cron expression .*"0 3 \* \* \*"/);
    expect(text).toMatch(/BACKUP_KEEP/);
    expect(text).toMatch(/BACKUP_PASSPHRASE must be at least 12 characters/);
    expect(text).not.toContain('short');
  });
});
