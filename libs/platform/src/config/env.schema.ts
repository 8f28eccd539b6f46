import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { MODULE_NAMES } from '../topology/module-names';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

/**
 * Numbers are written in plain decimal digits: "3e3", "0x0CA8" or " 3240" would otherwise be
 * converted to a port quietly, and a typo would bind somewhere unexpected.
 */
const DecimalInt = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
    ),
    IsInt({ message: '$property must be a whole number in plain decimal digits' }),
  );

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;

/**
 * Every environment variable the application reads, validated at boot.
 * Per-module variables (`USERS_HOST`, `USERS_TCP_PORT`, `USERS_HTTP_PORT`, …) are added
 * below for each module, so adding a module cannot forget one.
 */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  /** HTTP port of a process that hosts several modules (the single-process default). */
  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(65535)
  HTTP_PORT?: number;

  @IsOptional()
  @Matches(HOSTNAME, { message: 'BIND_HOST must be a host name or IP address' })
  BIND_HOST?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** How long a client may take to send a whole request (headers and body) before it is cut off. */
  @IsOptional()
  @DecimalInt()
  @Min(1000)
  @Max(600_000)
  HTTP_REQUEST_TIMEOUT_MS?: number;

  /** Folder of the internal bus's mutual TLS files (default: <DATA_DIR>/tls). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  BUS_TLS_DIR?: string;

  /**
   * Largest frame the internal bus accepts; a bigger one closes the connection. At least 64 KiB,
   * so every single message the modules exchange fits (batches are cut to half of it).
   */
  @IsOptional()
  @DecimalInt()
  @Min(64 * 1024)
  @Max(256 * 1024 * 1024)
  BUS_MAX_FRAME_BYTES?: number;

  /** How long a peer may stall in the middle of a frame (or of the TLS handshake) before it is cut off. */
  @IsOptional()
  @DecimalInt()
  @Min(100)
  @Max(300_000)
  BUS_FRAME_TIMEOUT_MS?: number;

  /**
   * Connections one bus listener holds at once, in the handshake or established; a further one is
   * closed as it arrives. The store's own peers need a few each.
   */
  @IsOptional()
  @DecimalInt()
  @Min(8)
  @Max(65_536)
  BUS_MAX_CONNECTIONS?: number;

  /** Connections one remote address may hold at once on a bus listener (at most BUS_MAX_CONNECTIONS). */
  @IsOptional()
  @DecimalInt()
  @Min(4)
  @Max(65_536)
  BUS_MAX_CONNECTIONS_PER_ADDRESS?: number;

  /** How long a call to another module may take before the caller answers 503. */
  @IsOptional()
  @DecimalInt()
  @Min(50)
  @Max(120_000)
  RPC_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_AUDIENCE?: string;

  @IsOptional()
  @DecimalInt()
  @Min(30)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @DecimalInt()
  @Min(60)
  @Max(31_536_000)
  REFRESH_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(10_000)
  LOGIN_MAX_FAILURES_PER_USERNAME?: number;

  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(100_000)
  LOGIN_MAX_FAILURES_PER_IP?: number;

  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(86_400)
  LOGIN_FAILURE_WINDOW_SECONDS?: number;

  /** Sign-in codes mailed to one account per hour, however many logins ask. */
  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(1000)
  LOGIN_CODE_MAILS_PER_HOUR?: number;

  /**
   * Proxies whose X-Forwarded-For names the client: addresses or CIDR ranges, comma-separated
   * (checked by load-config).
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /** Demo accounts on first start; refused in production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO?: boolean;

  /** The first employee of a real shop (created once, when no employee exists yet). */
  @IsOptional()
  @Matches(/^[a-zA-Z0-9_.-]{3,32}$/, {
    message:
      'BOOTSTRAP_EMPLOYEE_USERNAME must be 3-32 letters, digits, dots, dashes or underscores',
  })
  BOOTSTRAP_EMPLOYEE_USERNAME?: string;

  @ValidateIf((env: EnvSchema) => env.BOOTSTRAP_EMPLOYEE_USERNAME !== undefined)
  @IsString({ message: 'BOOTSTRAP_EMPLOYEE_PASSWORD is required with BOOTSTRAP_EMPLOYEE_USERNAME' })
  @MinLength(8)
  @MaxLength(128)
  BOOTSTRAP_EMPLOYEE_PASSWORD?: string;

  @ValidateIf((env: EnvSchema) => env.BOOTSTRAP_EMPLOYEE_USERNAME !== undefined)
  @IsEmail({}, { message: 'BOOTSTRAP_EMPLOYEE_EMAIL must be an email address' })
  BOOTSTRAP_EMPLOYEE_EMAIL?: string;

  /** Tax per product category, in percent: "beverages=20,dairy=5.5" (read by orders). Default: no tax. */
  @IsOptional()
  @IsString()
  TAX_RATES?: string;

  /** Days kept per audit event type, "search=30,login_failed=90" (read by logging). */
  @IsOptional()
  @IsString()
  AUDIT_RETENTION_DAYS?: string;

  /**
   * Seals the keys that open personal data into each backup (argon2id, AES-256-GCM); unset, a
   * backup leaves the keys out and says so.
   */
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'BACKUP_PASSPHRASE must be at least 12 characters' })
  @MaxLength(1024)
  BACKUP_PASSPHRASE?: string;

  /** When the store backs itself up, as a cron expression ("0 3 * * *": daily at 03:00); unset: never. */
  @IsOptional()
  @IsString()
  BACKUP_SCHEDULE?: string;

  /** Where scheduled (and back-office) backups are kept; default: <DATA_DIR>/backups. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  BACKUP_DIR?: string;

  /** How many backups BACKUP_DIR keeps; the oldest beyond it is deleted after a verified one. */
  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(1000)
  BACKUP_KEEP?: number;

  /**
   * How search answers: `memory` (default) keeps an index of the catalogue in the search
   * module's memory, built from its database at start (typo-tolerant, synonyms); `sql` queries
   * the database's full-text index (SQLite FTS5 or a PostgreSQL tsvector) instead.
   */
  @IsOptional()
  @IsIn(['memory', 'sql'])
  SEARCH_ENGINE?: 'memory' | 'sql';

  /** Browser origins allowed to call the API cross-origin, "https://shop.example,…" (checked by load-config). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** The refresh cookie's Secure attribute; off only for plain-HTTP development, never in production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  REFRESH_COOKIE_SECURE?: boolean;

  /** The mail server: smtp://user:password@host:587 or smtps://…; unset outside production: .eml files. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Sender of the store's mail, "Name <address>" or an address. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  MAIL_FROM?: string;

  /** Where shoppers reach the store: the base of links in mail, and the passkeys' origin. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+\/?$/, {
    message: 'PUBLIC_URL must be an http(s) origin such as https://shop.example',
  })
  PUBLIC_URL?: string;

  /** Store feedback is also mailed here when set. */
  @IsOptional()
  @IsEmail({}, { message: 'FEEDBACK_EMAIL must be an email address' })
  FEEDBACK_EMAIL?: string;

  /** Keys of personal data at rest: "<id>:<base64 of 32 bytes>,…", the first one encrypts (checked by load-config). */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEYS?: string;

  /** Key of the blind indexes (email look-ups): base64 of 32 bytes (checked by load-config). */
  @IsOptional()
  @IsString()
  DATA_INDEX_KEY?: string;

  /** Employees must sign in with a second factor before any employee route works. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  REQUIRE_EMPLOYEE_MFA?: boolean;

  /** How long a re-authentication lets an account change its sign-in factors and address. */
  @IsOptional()
  @DecimalInt()
  @Min(60)
  @Max(3600)
  STEP_UP_WINDOW_SECONDS?: number;

  /** Accounts must verify their email address before they can order. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  ORDERS_REQUIRE_VERIFIED_EMAIL?: boolean;

  /** The passkeys' relying party id (a domain; default: the host of PUBLIC_URL). */
  @IsOptional()
  @Matches(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, {
    message: 'WEBAUTHN_RP_ID must be a lowercase domain such as shop.example',
  })
  WEBAUTHN_RP_ID?: string;

  /** Origins passkey ceremonies may come from, comma-separated (checked by load-config). */
  @IsOptional()
  @IsString()
  WEBAUTHN_ORIGINS?: string;
  /** `GET /metrics` on every process's HTTP port (Prometheus text format); off: 404. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  METRICS_ENABLED?: boolean;

  /** With it, `/metrics` answers only `Authorization: Bearer <token>`. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  METRICS_TOKEN?: string;

  /** `/metrics` on a port of its own (on BIND_HOST) instead of the HTTP port. */
  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** OTLP/HTTP collector (e.g. http://jaeger:4318): traces are exported there; unset: tracing off. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL',
  })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Consecutive failures to reach a peer (per pattern) that open its circuit breaker. */
  @IsOptional()
  @DecimalInt()
  @Min(1)
  @Max(1000)
  CIRCUIT_BREAKER_THRESHOLD?: number;

  /** How long an open circuit fails fast before one call probes the peer again. */
  @IsOptional()
  @DecimalInt()
  @Min(100)
  @Max(600_000)
  CIRCUIT_BREAKER_HALF_OPEN_MS?: number;

  /** After SIGTERM: the time to drain HTTP requests, RPC calls and the outbox before exiting. */
  @IsOptional()
  @DecimalInt()
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS?: number;

  /** How long an outbox claim lasts: messages a dead replica had claimed go out again after it. */
  @IsOptional()
  @DecimalInt()
  @Min(1000)
  @Max(600_000)
  OUTBOX_LEASE_MS?: number;

  /**
   * Test-only fault injection: the orders process kills itself at this point of the order saga,
   * to prove crash recovery. Refused unless NODE_ENV=test.
   */
  @IsOptional()
  @IsIn(['after_reserve'])
  ORDERS_CRASH_POINT?: string;

  /** The classic API profile: each module also serves the original services' API on its classic port. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  CLASSIC_API?: boolean;

  /** HMAC key of the classic profile's tokens. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  CLASSIC_JWT_KEY?: string;

  /** The classic profile when NODE_ENV=production: refused unless this says so (and a key is set). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  CLASSIC_API_PRODUCTION?: boolean;

  [key: string]: unknown;
}

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+(\?\S*)?$/;

/** The variable that puts a module on PostgreSQL (unset: the module's SQLite file). */
export const moduleDatabaseVar = (module: string): string => `${module.toUpperCase()}_DATABASE_URL`;

export const moduleVar = (
  module: string,
  suffix: 'HOST' | 'TCP_PORT' | 'HTTP_PORT' | 'TCP_ADDRESSES',
): string => `${module.toUpperCase()}_${suffix}`;

/** `host:port[,host:port…]`: the replicas of a module, called in turn. */
const ADDRESS_LIST = /^\s*[A-Za-z0-9.[\]:-]+:\d{1,5}\s*(,\s*[A-Za-z0-9.[\]:-]+:\d{1,5}\s*)*$/;

for (const module of MODULE_NAMES) {
  const proto = EnvSchema.prototype;
  const host = moduleVar(module, 'HOST');
  IsOptional()(proto, host);
  Matches(HOSTNAME, { message: `${host} must be a host name or IP address` })(proto, host);
  for (const port of [moduleVar(module, 'TCP_PORT'), moduleVar(module, 'HTTP_PORT')]) {
    IsOptional()(proto, port);
    DecimalInt()(proto, port);
    Min(1)(proto, port);
    Max(65535)(proto, port);
  }
  // <MODULE>_TCP_ADDRESSES=10.0.0.5:4002,10.0.0.6:4002: replicas of that module, called in turn.
  const addresses = moduleVar(module, 'TCP_ADDRESSES');
  IsOptional()(proto, addresses);
  Matches(ADDRESS_LIST, {
    message: `${addresses} must be host:port pairs separated by commas`,
  })(proto, addresses);
  // <MODULE>_DATABASE_URL=postgres://user:password@host:5432/db puts that module on PostgreSQL.
  const databaseUrl = moduleDatabaseVar(module);
  IsOptional()(proto, databaseUrl);
  Matches(POSTGRES_URL, {
    message: `${databaseUrl} must be a postgres://user:password@host[:port]/database URL`,
  })(proto, databaseUrl);
}

/** `CLASSIC_USERS_PORT`, …: the classic API profile's port of each module. */
export const classicPortVar = (module: string): string => `CLASSIC_${module.toUpperCase()}_PORT`;

for (const module of MODULE_NAMES) {
  const proto = EnvSchema.prototype;
  const port = classicPortVar(module);
  IsOptional()(proto, port);
  DecimalInt()(proto, port);
  Min(1)(proto, port);
  Max(65535)(proto, port);
}
