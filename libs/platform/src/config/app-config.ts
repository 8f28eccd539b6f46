import { ModuleName } from '../topology/module-names';
import type { RateLimitRule } from './rate-limit-rules';

export interface ModuleEndpoint {
  host: string;
  tcpPort: number;
  httpPort: number;
  /** postgres://… when the module runs on PostgreSQL; unset: its SQLite file under dataDir. */
  databaseUrl?: string;
  /**
   * Where callers reach the module's replicas, called in turn: `<MODULE>_TCP_ADDRESSES`, or the
   * one `host:tcpPort`.
   */
  tcpAddresses: Array<{ host: string; port: number }>;
}

/** The validated, typed configuration every part of the application reads. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  dataDir: string;
  bindHost: string;
  httpPort: number;
  /** Time a client has to send a whole request; slower ones are cut off (408). */
  httpRequestTimeoutMs: number;
  logLevel: string;
  rpcTimeoutMs: number;
  modules: Record<ModuleName, ModuleEndpoint>;
  auth: {
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
  };
  login: {
    maxFailuresPerUsername: number;
    maxFailuresPerIp: number;
    failureWindowSeconds: number;
    /** Sign-in codes mailed to one account per hour (mail bombing through repeated logins). */
    codeMailsPerHour: number;
  };
  /** The modules' request limits by name, as configured (ModuleSettings.rateLimits). */
  rateLimits: Record<string, RateLimitRule>;
  /** Proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client; empty: none. */
  trustProxy: string[];
  orders: {
    /** Tax rate per category in basis points (2000 = 20 %); missing category: no tax. */
    taxRatesBps: Record<string, number>;
    crashPoint?: 'after_reserve';
  };
  audit: {
    /** Days kept per event type (0: forever); types not listed are kept forever. */
    retentionDays: Record<string, number>;
  };
  search: {
    /** memory: the search module's in-memory index; sql: the database's full-text index. */
    engine: 'memory' | 'sql';
  };
  seedDemo: boolean;
  /** What browsers may do: call from these origins (CORS; empty: off), keep the refresh token in a cookie. */
  browser: {
    corsOrigins: string[];
    refreshCookieSecure: boolean;
  };
  /** The classic API profile (the original five services' HTTP API, on extra ports). */
  classic: {
    enabled: boolean;
    jwtKey: string;
    ports: Record<ModuleName, number>;
  };
  /** Mail: SMTP when smtpUrl is set, else .eml files under <dataDir>/mail (refused in production). */
  mail: {
    smtpUrl?: string;
    from: string;
    /** Base of the links in mail (and the default passkey origin). */
    publicUrl: string;
    /** Store feedback is mailed here too when set. */
    feedbackEmail?: string;
  };
  /** Backups: the passphrase that seals their keys, and the store's own schedule. */
  backup: {
    passphrase?: string;
    /** Cron expression; unset: no scheduled backups. */
    schedule?: string;
    dir: string;
    keep: number;
  };
  /** Personal data at rest; unset outside production: development keys in the data folder. */
  dataProtection: {
    /** "<id>:<base64 key>" entries; the first encrypts, all decrypt. */
    encryptionKeys?: string;
    indexKey?: string;
  };
  accounts: {
    /** Employee routes answer 403 MFA_REQUIRED unless the token was issued after a second factor. */
    requireEmployeeMfa: boolean;
    /** A re-authentication is recent this long: factor and address changes need one. */
    stepUpWindowSeconds: number;
    /** Orders refuse accounts whose email address is not verified (403 EMAIL_NOT_VERIFIED). */
    requireVerifiedEmailToOrder: boolean;
  };
  /** Passkeys (WebAuthn): the relying party and the origins ceremonies may come from. */
  webauthn: {
    rpId: string;
    rpName: string;
    origins: string[];
  };
  bootstrapEmployee?: { username: string; password: string; email: string };
  /** Prometheus `/metrics` on every process (off: 404); optionally behind a bearer token. */
  metrics: {
    enabled: boolean;
    token?: string;
    /** Served on this port of its own instead of the HTTP port. */
    port?: number;
  };
  /** OpenTelemetry: traces go to this OTLP/HTTP endpoint; unset, tracing is off. */
  tracing: { otlpEndpoint?: string };
  /** Circuit breakers of calls to other modules, one per peer and pattern. */
  circuitBreaker: { threshold: number; halfOpenAfterMs: number };
  /** After SIGTERM, the time to drain requests, calls and the outbox before exiting. */
  shutdownTimeoutMs: number;
  /** How long an outbox claim lasts before another replica may deliver the message. */
  outboxLeaseMs: number;
  /** The internal bus between modules in split mode (mutual TLS over Nest's TCP transport). */
  bus: {
    /** Folder of `ca.crt`, `<module>.crt` and `<module>.key`. */
    tlsDir: string;
    /** Largest frame a peer may send, in characters of its JSON (never more than its bytes). */
    maxFrameBytes: number;
    /** A peer silent this long in the middle of a frame or of the TLS handshake is cut off. */
    frameTimeoutMs: number;
    /** Connections one listener holds at once; further ones are closed as they arrive. */
    maxConnections: number;
    /** Connections one remote address holds at once on a listener. */
    maxConnectionsPerAddress: number;
  };
}

/** Injection token of the AppConfig value. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Whether this store gets the demo store's whole history (everyone, past orders and edits): in
 * development with seeding on. Tests (NODE_ENV=test) get the demo employee and customer and the
 * catalogue only, so what they count starts from a known, small store.
 */
export function seedsDemoHistory(config: Pick<AppConfig, 'seedDemo' | 'nodeEnv'>): boolean {
  return config.seedDemo && config.nodeEnv === 'development';
}
