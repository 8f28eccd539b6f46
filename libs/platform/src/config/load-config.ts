import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import { AppConfig, ModuleEndpoint } from './app-config';
import { EnvSchema, classicPortVar, moduleDatabaseVar, moduleVar } from './env.schema';
import { parseCorsOrigins } from './cors-origins';
import { ModuleSettings, NO_MODULE_SETTINGS } from './module-settings';
import { RateLimitRule, parseRateLimitRule } from './rate-limit-rules';
import { parseTrustProxy } from './trust-proxy';
import { dataKeyProblems } from './data-key-format';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One problem is one line; several are listed under one heading.
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration (${problems.length} problems):\n` +
            problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}

// Well away from 3000 (the usual HTTP port, and the TCP transport's default).
const DEFAULT_TCP_BASE = 4000;
const DEFAULT_HTTP_BASE = 3000;

/**
 * Validates the whole environment at once and lists every bad variable in one error.
 * `moduleSettings`: how the modules read their own settings (the entrypoint passes
 * src/module-settings.ts).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  moduleSettings: ModuleSettings = NO_MODULE_SETTINGS,
): AppConfig {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(EnvSchema, relevant);
  const problems = flatten(validateSync(parsed, { whitelist: false }), relevant);

  const nodeEnv = (parsed.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  if (nodeEnv === 'production' && parsed.SEED_DEMO === true) {
    problems.push('SEED_DEMO: demo accounts are refused when NODE_ENV=production');
  }
  if (parsed.ORDERS_CRASH_POINT !== undefined && nodeEnv !== 'test') {
    problems.push('ORDERS_CRASH_POINT: fault injection is only allowed when NODE_ENV=test');
  }
  let taxRatesBps: Record<string, number> = {};
  try {
    taxRatesBps = moduleSettings.taxRatesBps(parsed.TAX_RATES);
  } catch (error) {
    problems.push(`TAX_RATES: ${(error as Error).message}`);
  }
  let auditRetentionDays: Record<string, number> = {};
  try {
    auditRetentionDays = moduleSettings.auditRetentionDays(parsed.AUDIT_RETENTION_DAYS);
  } catch (error) {
    problems.push(`AUDIT_RETENTION_DAYS: ${(error as Error).message}`);
  }
  let trustProxy: string[] = [];
  try {
    trustProxy = parseTrustProxy(parsed.TRUST_PROXY);
  } catch (error) {
    problems.push(`TRUST_PROXY: ${(error as Error).message}`);
  }
  const rateLimits: Record<string, RateLimitRule> = {};
  for (const { name, variable, defaults } of moduleSettings.rateLimits) {
    try {
      rateLimits[name] = parseRateLimitRule(relevant[variable]) ?? defaults;
    } catch (error) {
      problems.push(`${variable}: ${(error as Error).message}`);
    }
  }
  let corsOrigins: string[] = [];
  try {
    corsOrigins = parseCorsOrigins(parsed.CORS_ORIGINS);
  } catch (error) {
    problems.push(`CORS_ORIGINS: ${(error as Error).message}`);
  }
  if (parsed.BACKUP_SCHEDULE !== undefined) {
    // Loaded only when asked for: a start without a schedule does not pay for the cron parser.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { validateCronExpression } = require('cron') as typeof import('cron');
    const cron = validateCronExpression(parsed.BACKUP_SCHEDULE);
    if (!cron.valid)
      problems.push(
        `BACKUP_SCHEDULE: not a cron expression (${cron.error?.message ?? 'unreadable'}), e.g. "0 3 * * *" for 03:00 every day`,
      );
  }

  if (nodeEnv === 'production' && parsed.REFRESH_COOKIE_SECURE === false) {
    problems.push(
      'REFRESH_COOKIE_SECURE: the refresh cookie is always Secure when NODE_ENV=production',
    );
  }
  let webauthnOrigins: string[] | undefined;
  try {
    webauthnOrigins = parsed.WEBAUTHN_ORIGINS
      ? parseCorsOrigins(parsed.WEBAUTHN_ORIGINS)
      : undefined;
  } catch (error) {
    problems.push(`WEBAUTHN_ORIGINS: ${(error as Error).message}`);
  }
  for (const problem of dataKeyProblems(parsed.DATA_ENCRYPTION_KEYS, parsed.DATA_INDEX_KEY))
    problems.push(problem);
  const classicPorts = Object.fromEntries(
    MODULE_NAMES.map((name, index): [ModuleName, number] => [
      name,
      (parsed[classicPortVar(name)] as number | undefined) ?? DEFAULT_CLASSIC_BASE + index,
    ]),
  ) as Record<ModuleName, number>;
  if (parsed.CLASSIC_API === true) problems.push(...classicPortCollisions(parsed, classicPorts));
  if (nodeEnv === 'production') problems.push(...productionExposureProblems(parsed));
  if (parsed.METRICS_PORT !== undefined) {
    const taken = [
      ['HTTP_PORT', parsed.HTTP_PORT ?? DEFAULT_HTTP_BASE] as const,
      ...MODULE_NAMES.flatMap((name, index) => [
        [
          moduleVar(name, 'HTTP_PORT'),
          (parsed[moduleVar(name, 'HTTP_PORT')] as number | undefined) ??
            DEFAULT_HTTP_BASE + index + 1,
        ] as const,
        [
          moduleVar(name, 'TCP_PORT'),
          (parsed[moduleVar(name, 'TCP_PORT')] as number | undefined) ??
            DEFAULT_TCP_BASE + index + 1,
        ] as const,
      ]),
      ...(parsed.CLASSIC_API === true
        ? MODULE_NAMES.map((name) => [classicPortVar(name), classicPorts[name]] as const)
        : []),
    ].find(([, port]) => port === parsed.METRICS_PORT);
    if (taken) problems.push(`METRICS_PORT=${parsed.METRICS_PORT}: the same port as ${taken[0]}`);
  }
  for (const name of MODULE_NAMES) {
    const variable = moduleVar(name, 'TCP_ADDRESSES');
    try {
      parseAddresses(parsed[variable] as string | undefined);
    } catch (error) {
      problems.push(`${variable}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const modules = Object.fromEntries(
    MODULE_NAMES.map((name, index): [ModuleName, ModuleEndpoint] => [
      name,
      {
        host: (parsed[moduleVar(name, 'HOST')] as string | undefined) ?? '127.0.0.1',
        tcpPort:
          (parsed[moduleVar(name, 'TCP_PORT')] as number | undefined) ??
          DEFAULT_TCP_BASE + index + 1,
        httpPort:
          (parsed[moduleVar(name, 'HTTP_PORT')] as number | undefined) ??
          DEFAULT_HTTP_BASE + index + 1,
        ...(parsed[moduleDatabaseVar(name)] !== undefined && {
          databaseUrl: parsed[moduleDatabaseVar(name)] as string,
        }),
        tcpAddresses: [],
      },
    ]),
  ) as Record<ModuleName, ModuleEndpoint>;
  for (const name of MODULE_NAMES) {
    const endpoint = modules[name];
    endpoint.tcpAddresses = parseAddresses(
      parsed[moduleVar(name, 'TCP_ADDRESSES')] as string | undefined,
    ) ?? [{ host: endpoint.host, port: endpoint.tcpPort }];
  }

  const dataDir = parsed.DATA_DIR ?? './data';
  const httpPort = parsed.HTTP_PORT ?? DEFAULT_HTTP_BASE;
  const publicUrl = (parsed.PUBLIC_URL ?? `http://localhost:${httpPort}`).replace(/\/$/, '');
  return {
    nodeEnv,
    dataDir,
    // Loopback unless told otherwise: a container or a cluster sets 0.0.0.0 explicitly.
    bindHost: parsed.BIND_HOST ?? '127.0.0.1',
    httpPort,
    httpRequestTimeoutMs: parsed.HTTP_REQUEST_TIMEOUT_MS ?? 30_000,
    logLevel: parsed.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    rpcTimeoutMs: parsed.RPC_TIMEOUT_MS ?? 3000,
    modules,
    auth: {
      issuer: parsed.JWT_ISSUER ?? 'micro-foods-market',
      audience: parsed.JWT_AUDIENCE ?? 'micro-foods-market',
      accessTokenTtlSeconds: parsed.ACCESS_TOKEN_TTL_SECONDS ?? 900,
      refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS ?? 30 * 86_400,
    },
    login: {
      maxFailuresPerUsername: parsed.LOGIN_MAX_FAILURES_PER_USERNAME ?? 5,
      maxFailuresPerIp: parsed.LOGIN_MAX_FAILURES_PER_IP ?? 50,
      failureWindowSeconds: parsed.LOGIN_FAILURE_WINDOW_SECONDS ?? 900,
      codeMailsPerHour: parsed.LOGIN_CODE_MAILS_PER_HOUR ?? 5,
    },
    rateLimits,
    trustProxy,
    orders: { taxRatesBps, crashPoint: parsed.ORDERS_CRASH_POINT as 'after_reserve' | undefined },
    audit: { retentionDays: auditRetentionDays },
    search: { engine: parsed.SEARCH_ENGINE ?? 'memory' },
    backup: {
      passphrase: parsed.BACKUP_PASSPHRASE,
      schedule: parsed.BACKUP_SCHEDULE,
      dir: parsed.BACKUP_DIR ?? join(dataDir, 'backups'),
      keep: parsed.BACKUP_KEEP ?? 7,
    },
    seedDemo: parsed.SEED_DEMO ?? nodeEnv !== 'production',
    browser: { corsOrigins, refreshCookieSecure: parsed.REFRESH_COOKIE_SECURE ?? true },
    classic: {
      enabled: parsed.CLASSIC_API === true,
      jwtKey: parsed.CLASSIC_JWT_KEY ?? DEFAULT_CLASSIC_JWT_KEY,
      ports: classicPorts,
    },
    mail: {
      smtpUrl: parsed.SMTP_URL,
      from: parsed.MAIL_FROM ?? 'Micro Foods Market <no-reply@microfoods.example>',
      publicUrl,
      feedbackEmail: parsed.FEEDBACK_EMAIL,
    },
    dataProtection: {
      encryptionKeys: parsed.DATA_ENCRYPTION_KEYS,
      indexKey: parsed.DATA_INDEX_KEY,
    },
    accounts: {
      requireEmployeeMfa: parsed.REQUIRE_EMPLOYEE_MFA ?? false,
      stepUpWindowSeconds: parsed.STEP_UP_WINDOW_SECONDS ?? 600,
      requireVerifiedEmailToOrder: parsed.ORDERS_REQUIRE_VERIFIED_EMAIL ?? true,
    },
    webauthn: {
      rpId: parsed.WEBAUTHN_RP_ID ?? new URL(publicUrl).hostname,
      rpName: 'Micro Foods Market',
      origins:
        webauthnOrigins ??
        defaultWebauthnOrigins(publicUrl, nodeEnv, [
          httpPort,
          ...MODULE_NAMES.map((name) => modules[name].httpPort),
        ]),
    },
    bootstrapEmployee: parsed.BOOTSTRAP_EMPLOYEE_USERNAME
      ? {
          username: parsed.BOOTSTRAP_EMPLOYEE_USERNAME,
          password: parsed.BOOTSTRAP_EMPLOYEE_PASSWORD as string,
          email: parsed.BOOTSTRAP_EMPLOYEE_EMAIL as string,
        }
      : undefined,
    metrics: {
      // In production only with a token or a port of its own (off by default without them).
      enabled: parsed.METRICS_ENABLED ?? (nodeEnv !== 'production' || metricsGuarded(parsed)),
      token: parsed.METRICS_TOKEN,
      port: parsed.METRICS_PORT,
    },
    tracing: { otlpEndpoint: parsed.OTEL_EXPORTER_OTLP_ENDPOINT },
    circuitBreaker: {
      threshold: parsed.CIRCUIT_BREAKER_THRESHOLD ?? 5,
      halfOpenAfterMs: parsed.CIRCUIT_BREAKER_HALF_OPEN_MS ?? 10_000,
    },
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS ?? 20_000,
    outboxLeaseMs: parsed.OUTBOX_LEASE_MS ?? 15_000,
    bus: {
      tlsDir: parsed.BUS_TLS_DIR ?? join(dataDir, 'tls'),
      maxFrameBytes: parsed.BUS_MAX_FRAME_BYTES ?? 1024 * 1024,
      frameTimeoutMs: parsed.BUS_FRAME_TIMEOUT_MS ?? 10_000,
      maxConnections: parsed.BUS_MAX_CONNECTIONS ?? 256,
      maxConnectionsPerAddress: parsed.BUS_MAX_CONNECTIONS_PER_ADDRESS ?? 64,
    },
  };
}

/**
 * Passkey ceremonies come from the store's public origin; outside production also from
 * localhost on any of the store's HTTP ports (one process or a module's own port).
 */
function defaultWebauthnOrigins(
  publicUrl: string,
  nodeEnv: AppConfig['nodeEnv'],
  ports: number[],
): string[] {
  const origins = [new URL(publicUrl).origin];
  if (nodeEnv !== 'production') for (const port of ports) origins.push(`http://localhost:${port}`);
  return [...new Set(origins)];
}

/** `host:port,host:port` (IPv6 hosts in brackets); undefined when unset. */
function parseAddresses(
  value: string | undefined,
): Array<{ host: string; port: number }> | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((item) => {
    const entry = item.trim();
    const colon = entry.lastIndexOf(':');
    const host = entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const port = Number(entry.slice(colon + 1));
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`"${entry}" is not a host:port with a port from 1 to 65535`);
    return { host, port };
  });
}

// The original services' ports: users 9000, products 9001, search 9002, orders 9003, logging 9004.
const DEFAULT_CLASSIC_BASE = 9000;

/** The original services' key: the default of CLASSIC_JWT_KEY. */
export const DEFAULT_CLASSIC_JWT_KEY = 'QZkRdigqi2iRe0DcfUnYYML7eZx2yKbC';

/**
 * What production refuses to expose by default. The classic profile has no expiry on its tokens
 * and, without CLASSIC_JWT_KEY, a key anyone can read in the original services' code: it runs in
 * production only when asked for twice (CLASSIC_API and CLASSIC_API_PRODUCTION) and with a key of
 * its own. `/metrics` on the HTTP port would be public wherever that port is (a Kubernetes
 * Ingress sends `/` to users): in production it is off unless it has a token or a port of its
 * own, and asking for it without either is refused.
 */
function productionExposureProblems(parsed: EnvSchema): string[] {
  const problems: string[] = [];
  if (parsed.CLASSIC_API === true) {
    const missing = [
      ...(parsed.CLASSIC_API_PRODUCTION === true ? [] : ['CLASSIC_API_PRODUCTION=true']),
      ...(parsed.CLASSIC_JWT_KEY ? [] : ['CLASSIC_JWT_KEY (16-512 characters)']),
    ];
    if (missing.length > 0)
      problems.push(
        `CLASSIC_API: the classic profile is refused when NODE_ENV=production unless ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} set too (its tokens never expire; the default key is public)`,
      );
  }
  if (parsed.METRICS_ENABLED === true && !metricsGuarded(parsed))
    problems.push(
      'METRICS_ENABLED: /metrics needs METRICS_TOKEN or a port of its own (METRICS_PORT) when NODE_ENV=production',
    );
  return problems;
}

/** `/metrics` asks for a token, or is on a port of its own. */
const metricsGuarded = (parsed: EnvSchema): boolean =>
  Boolean(parsed.METRICS_TOKEN) || parsed.METRICS_PORT !== undefined;

/** A classic port must differ from the other classic ports and from every HTTP and TCP port. */
function classicPortCollisions(
  parsed: EnvSchema,
  classicPorts: Record<ModuleName, number>,
): string[] {
  const taken = new Map<number, string>();
  taken.set(parsed.HTTP_PORT ?? DEFAULT_HTTP_BASE, 'HTTP_PORT');
  MODULE_NAMES.forEach((name, index) => {
    taken.set(
      (parsed[moduleVar(name, 'HTTP_PORT')] as number | undefined) ?? DEFAULT_HTTP_BASE + index + 1,
      moduleVar(name, 'HTTP_PORT'),
    );
    taken.set(
      (parsed[moduleVar(name, 'TCP_PORT')] as number | undefined) ?? DEFAULT_TCP_BASE + index + 1,
      moduleVar(name, 'TCP_PORT'),
    );
  });
  const problems: string[] = [];
  for (const name of MODULE_NAMES) {
    const variable = classicPortVar(name);
    const port = classicPorts[name];
    const other = taken.get(port);
    if (other) problems.push(`${variable}=${port}: the same port as ${other}`);
    else taken.set(port, variable);
  }
  return problems;
}

// One line per variable, showing what was set (USERS_TCP_PORT="abc"), not what the conversion
// made of it (NaN, printed as null).
function flatten(errors: ValidationError[], raw: Record<string, unknown>): string[] {
  return errors.flatMap((error) => {
    const value = error.property in raw ? raw[error.property] : (error.value as unknown);
    const messages = Object.values(error.constraints ?? {});
    const own = messages.length
      ? [`${error.property}=${shown(error.property, value)}: ${messages.join('; ')}`]
      : [];
    return [...own, ...flatten(error.children ?? [], {})];
  });
}

/** Variables that hold secrets (a database URL carries its password): never echoed back. */
const SECRET_VARIABLE = /(PASSWORD|PASSPHRASE|SECRET|_KEYS?|DATABASE_URL|SMTP_URL)$/;

// A rejected secret must not end up in a log; any other value is shown as it was set.
export function shown(property: string, value: unknown): string {
  return SECRET_VARIABLE.test(property) ? '<redacted>' : JSON.stringify(value);
}
