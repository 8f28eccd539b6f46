// What docs/configuration.md says about each variable of the environment schema
// (libs/platform/src/config/env.schema.ts). The schema gives the list of variables and what each
// accepts; the configuration loader (load-config.ts) gives the defaults wherever they are values;
// this file gives only what code cannot: the meaning, and the form of a variable checked by a
// pattern. render.js refuses a schema variable missing here and an entry the schema does not have.

/** `<MODULE>_HOST`, … expand to one variable per module. */
const perModule = (suffix) => (module) => `${module.toUpperCase()}_${suffix}`;
const classicPort = (module) => `CLASSIC_${module.toUpperCase()}_PORT`;
const byModule = (pick) => (c) =>
  Object.keys(c.modules)
    .map((m) => `${m} ${pick(c, m)}`)
    .join(', ');
const code = (value) => `\`${value}\``;
const RATE_FORM = '`<requests>/<seconds>` (1–1000000 requests, 1–86400 s)';

const SECTIONS = [
  {
    title: 'The process',
    variables: [
      {
        name: 'NODE_ENV',
        default: (c) => code(c.nodeEnv),
        meaning:
          'production never seeds demo data, creates no development bus credentials or data keys, writes no mail to files and refuses the test-only and development-only settings below',
      },
      {
        name: 'DATA_DIR',
        default: (c) => code(c.dataDir),
        meaning:
          'folder of the SQLite files, `<DATA_DIR>/<module>.sqlite`, and their locks `<module>.lock`; split processes may share it (each module its own file); created if missing; one that cannot be created or written stops the start with exit code 2',
      },
      {
        name: 'HTTP_PORT',
        default: (c) => code(c.httpPort),
        meaning:
          'HTTP port of a process that hosts more than one module (a process hosting one module uses `<MODULE>_HTTP_PORT`)',
      },
      {
        name: 'BIND_HOST',
        default: (c) => code(c.bindHost),
        form: 'a host name or IP address',
        meaning:
          'address the HTTP and TCP listeners bind to; `0.0.0.0` to be reachable from other machines (the image, compose and the Kubernetes manifests set it)',
      },
      {
        name: 'LOG_LEVEL',
        default: () => '`info` (`warn` when `NODE_ENV=test`)',
        meaning: 'level of the JSON log lines on standard output',
      },
      {
        name: 'HTTP_REQUEST_TIMEOUT_MS',
        default: (c) => code(c.httpRequestTimeoutMs),
        meaning:
          'time a client has to send a whole request, headers and body; a slower one is cut off with 408',
      },
      {
        name: 'SHUTDOWN_TIMEOUT_MS',
        default: (c) => code(c.shutdownTimeoutMs),
        meaning:
          'after SIGTERM, the time to drain HTTP requests, calls from other modules and the outbox before exiting 0 (past it: exit 1); see [operations](operations.md#resilience)',
      },
      {
        name: 'SEED_DEMO',
        default: () => '`true`, `false` in production',
        meaning:
          'create the demo store on start (see the [README](../README.md#the-demo-store)); `true` with `NODE_ENV=production` is refused',
      },
      {
        name: 'BOOTSTRAP_EMPLOYEE_USERNAME',
        default: () => 'unset',
        form: '3–32 letters, digits, `.`, `-`, `_`',
        meaning:
          'first employee of a real shop, created on start while the store has no employee at all (once one exists the variable is ignored, with a log line); named Store Owner',
      },
      {
        name: 'BOOTSTRAP_EMPLOYEE_PASSWORD',
        default: () => 'unset',
        meaning:
          'required with the username; must also pass the sign-up password rule (a lowercase and an uppercase letter, a digit, not containing the username, `store` or `owner`, as the account is named Store Owner), else the start fails naming `BOOTSTRAP_EMPLOYEE_*`',
      },
      {
        name: 'BOOTSTRAP_EMPLOYEE_EMAIL',
        default: () => 'unset',
        meaning: 'required with the username',
      },
      {
        name: 'ORDERS_CRASH_POINT',
        default: () => 'unset',
        meaning:
          'test-only fault injection: the orders process kills itself between stock reservation and confirmation, to prove crash recovery; refused unless `NODE_ENV=test`',
      },
    ],
  },
  {
    title: 'Modules and the internal bus',
    intro:
      '`<MODULE>` is `USERS`, `PRODUCTS`, `SEARCH`, `ORDERS` or `LOGGING`. How the bus is secured and how its credentials are issued and rotated: [security](security.md#how-the-internal-bus-is-secured).',
    variables: [
      {
        name: '<MODULE>_HOST',
        expand: perModule('HOST'),
        default: (c) => code(c.modules.users.host),
        form: 'a host name or IP address',
        meaning: "where the other processes reach this module's TCP listener",
      },
      {
        name: '<MODULE>_TCP_PORT',
        expand: perModule('TCP_PORT'),
        default: byModule((c, m) => c.modules[m].tcpPort),
        meaning:
          'TCP message-pattern port of the module; opened only by a process that does not host all five',
      },
      {
        name: '<MODULE>_TCP_ADDRESSES',
        expand: perModule('TCP_ADDRESSES'),
        default: () => '`<MODULE>_HOST:<MODULE>_TCP_PORT`',
        form: '`host:port` pairs, comma-separated',
        meaning:
          "where callers reach the module's replicas (`10.0.0.5:4002,10.0.0.6:4002`), called in turn; a call that could not reach one is retried on the next",
      },
      {
        name: '<MODULE>_HTTP_PORT',
        expand: perModule('HTTP_PORT'),
        default: byModule((c, m) => c.modules[m].httpPort),
        meaning: 'HTTP port of a process that hosts only this module',
      },
      {
        name: '<MODULE>_DATABASE_URL',
        expand: perModule('DATABASE_URL'),
        default: () => 'unset (SQLite file `<DATA_DIR>/<module>.sqlite`)',
        form: '`postgres://user:password@host[:port]/database`',
        meaning:
          'this module on PostgreSQL, one database per module (see [operations](operations.md#scaling-out-on-postgresql)); never echoed in an error',
      },
      {
        name: 'BUS_TLS_DIR',
        default: () => '`<DATA_DIR>/tls`',
        meaning:
          "the bus's mutual TLS files: `ca.crt`, `<module>.crt`, `<module>.key`; generated when missing, except in production",
      },
      {
        name: 'BUS_MAX_FRAME_BYTES',
        default: (c) => `${code(c.bus.maxFrameBytes)} (1 MiB)`,
        meaning: 'largest frame a module accepts on the bus; a larger one closes the connection',
      },
      {
        name: 'BUS_FRAME_TIMEOUT_MS',
        default: (c) => code(c.bus.frameTimeoutMs),
        meaning:
          'a peer silent this long in the middle of a frame or of the TLS handshake is disconnected',
      },
      {
        name: 'BUS_MAX_CONNECTIONS',
        default: (c) => code(c.bus.maxConnections),
        meaning:
          'connections one bus listener holds at once, TLS handshakes included; one more is closed as it arrives',
      },
      {
        name: 'BUS_MAX_CONNECTIONS_PER_ADDRESS',
        default: (c) => code(c.bus.maxConnectionsPerAddress),
        meaning: 'connections one remote address holds at once on a bus listener',
      },
      {
        name: 'RPC_TIMEOUT_MS',
        default: (c) => code(c.rpcTimeoutMs),
        meaning:
          'deadline of a call to another module; past it the caller answers 503 `PEER_TIMEOUT`',
      },
      {
        name: 'CIRCUIT_BREAKER_THRESHOLD',
        default: (c) => code(c.circuitBreaker.threshold),
        meaning:
          'consecutive failures to reach a module (per pattern) that open its circuit breaker; see [operations](operations.md#resilience)',
      },
      {
        name: 'CIRCUIT_BREAKER_HALF_OPEN_MS',
        default: (c) => code(c.circuitBreaker.halfOpenAfterMs),
        meaning:
          'how long an open circuit answers 503 at once before one call probes the module again; also how long new calls pass over a replica that could not be reached',
      },
      {
        name: 'OUTBOX_LEASE_MS',
        default: (c) => code(c.outboxLeaseMs),
        meaning:
          "how long a replica's claim on outbox messages lasts: messages a dead replica had claimed go out from another one after it",
      },
    ],
  },
  {
    title: 'Tokens, sign-in and the browser edge',
    intro: 'What these protect and how: [security](security.md).',
    variables: [
      {
        name: 'JWT_ISSUER',
        default: (c) => code(c.auth.issuer),
        meaning: '`iss` of access tokens, checked on every token',
      },
      {
        name: 'JWT_AUDIENCE',
        default: (c) => code(c.auth.audience),
        meaning: '`aud` of access tokens, checked on every token',
      },
      {
        name: 'ACCESS_TOKEN_TTL_SECONDS',
        default: (c) => code(c.auth.accessTokenTtlSeconds),
        meaning: 'access token lifetime',
      },
      {
        name: 'REFRESH_TOKEN_TTL_SECONDS',
        default: (c) => `${code(c.auth.refreshTokenTtlSeconds)} (30 days)`,
        meaning: "refresh token lifetime (and the refresh cookie's `Max-Age`)",
      },
      {
        name: 'LOGIN_MAX_FAILURES_PER_USERNAME',
        default: (c) => code(c.login.maxFailuresPerUsername),
        meaning:
          'password checks of one account (by username or email address, and those of the email change and of turning two-factor sign-in off) within the window before 429; counted before the check, given back when it was right; also bounds wrong second-factor codes per account',
      },
      {
        name: 'LOGIN_MAX_FAILURES_PER_IP',
        default: (c) => code(c.login.maxFailuresPerIp),
        meaning: 'the same per client address; see [rate limits](security.md#rate-limits)',
      },
      {
        name: 'LOGIN_FAILURE_WINDOW_SECONDS',
        default: (c) => code(c.login.failureWindowSeconds),
        meaning: 'the window of both login limits',
      },
      {
        name: 'LOGIN_CODE_MAILS_PER_HOUR',
        default: (c) => code(c.login.codeMailsPerHour),
        meaning:
          'sign-in codes mailed to one account per hour, however many logins ask; past it 429 `TOO_MANY_EMAIL_CODES`',
      },
      // One row per request limit the modules declare (their src/*/rate-limits.ts).
      { rateLimits: true, form: RATE_FORM },
      {
        name: 'TRUST_PROXY',
        default: () => 'unset (no proxy)',
        form: 'addresses or CIDR ranges, comma-separated',
        meaning:
          'the proxies in front of the store (`172.28.0.10`, `10.0.0.0/8`); only from them X-Forwarded-For names the client',
      },
      {
        name: 'CORS_ORIGINS',
        default: () => 'unset (CORS off)',
        form: 'exact origins, comma-separated',
        meaning:
          'browser origins allowed to call the API from another site (`https://shop.example,http://localhost:5173`), with credentials; give every process the same list',
      },
      {
        name: 'REFRESH_COOKIE_SECURE',
        default: (c) => code(c.browser.refreshCookieSecure),
        meaning:
          'the `Secure` attribute of the refresh cookie; `false` only for plain-HTTP development, refused with `NODE_ENV=production`',
      },
    ],
  },
  {
    title: 'Accounts, mail and personal data',
    intro: 'How the flows work: [security](security.md#accounts-mail-two-factor-sign-in-passkeys).',
    variables: [
      {
        name: 'SMTP_URL',
        default: () => 'unset: `.eml` files in `<DATA_DIR>/mail`',
        form: '`smtp://user:password@host:587` or `smtps://…`',
        meaning:
          'the mail server; required with `NODE_ENV=production` by the processes that host users or orders (exit 2 without it)',
      },
      {
        name: 'MAIL_FROM',
        default: (c) => code(c.mail.from),
        meaning: "sender of the store's mail",
      },
      {
        name: 'PUBLIC_URL',
        default: () => '`http://localhost:<HTTP_PORT>`',
        form: 'an `http(s)://` origin',
        meaning:
          "where shoppers reach the store: the base of the links in mail, and the passkeys' origin and relying party",
      },
      {
        name: 'FEEDBACK_EMAIL',
        default: () => 'unset',
        meaning:
          'where messages of the contact form are mailed too (they are always stored for employees)',
      },
      {
        name: 'DATA_ENCRYPTION_KEYS',
        form: '`<id>:<base64 of 32 bytes>`, comma-separated',
        default: () =>
          'unset: development keys in `<DATA_DIR>/data-keys.json` (refused in production)',
        meaning:
          'keys of personal data at rest (`openssl rand -base64 32` makes one); the first encrypts, all decrypt; needed by the processes that host users',
      },
      {
        name: 'DATA_INDEX_KEY',
        form: 'base64 of 32 bytes',
        default: () => 'unset: with the development keys',
        meaning: "key of the email's blind index; set both or neither; never rotated",
      },
      {
        name: 'REQUIRE_EMPLOYEE_MFA',
        default: (c) => code(c.accounts.requireEmployeeMfa),
        meaning:
          "`true`: an employee's token works only when issued after a second factor (or a passkey); before that, only their profile and the routes that set a factor up answer; set it on every process",
      },
      {
        name: 'STEP_UP_WINDOW_SECONDS',
        default: (c) => code(c.accounts.stepUpWindowSeconds),
        meaning:
          'how long a re-authentication (`POST /api/users/me/reauthenticate`) lets the session change its factors and its address',
      },
      {
        name: 'ORDERS_REQUIRE_VERIFIED_EMAIL',
        default: (c) => code(c.accounts.requireVerifiedEmailToOrder),
        meaning:
          'accounts must verify their email address before ordering (403 `EMAIL_NOT_VERIFIED`)',
      },
      {
        name: 'WEBAUTHN_RP_ID',
        default: () => 'the host of `PUBLIC_URL`',
        form: 'a lowercase domain',
        meaning: "the passkeys' relying party id",
      },
      {
        name: 'WEBAUTHN_ORIGINS',
        default: () =>
          'the origin of `PUBLIC_URL` (outside production also `http://localhost:<each HTTP port>`)',
        form: 'exact origins, comma-separated',
        meaning: 'origins passkey ceremonies may come from',
      },
    ],
  },
  {
    title: 'The catalogue, orders and the audit log',
    variables: [
      {
        name: 'TAX_RATES',
        default: () => 'unset (no tax)',
        form: '`<category>=<percent>`, comma-separated',
        meaning:
          'tax per product category, e.g. `beverages=20,dairy=5.5`; applied per order line, rounded half-up to the cent',
      },
      {
        name: 'AUDIT_RETENTION_DAYS',
        default: () => '`search=30`',
        form: '`<event type>=<days>`, comma-separated',
        meaning:
          'days audit events of a type are kept, e.g. `search=7,login_failed=90` (over the default; `0` keeps a type forever; types not listed are kept forever); pruned hourly in the background',
      },
      {
        name: 'SEARCH_ENGINE',
        default: () => '`memory`',
        form: '`memory` or `sql`',
        meaning:
          "how search answers: `memory` keeps an index of the catalogue in the search module's memory, loaded from its database at start (prefixes, typos, synonyms; about 40 MB per 100,000 products); `sql` asks the database's full-text index instead (SQLite FTS5 or a PostgreSQL tsvector: prefixes, no typos or synonyms)",
      },
    ],
  },
  {
    title: 'Backups',
    intro:
      'What a backup holds and how to restore one: [operations](operations.md#backups). `npm run backup -- --out <file>` takes one by hand at any time.',
    variables: [
      {
        name: 'BACKUP_PASSPHRASE',
        default: () => 'unset',
        meaning:
          'seals the keys that open personal data into each backup (argon2id, AES-256-GCM), and opens them on restore; unset, backups leave the keys out and say so. Keep it apart from the backups',
      },
      {
        name: 'BACKUP_SCHEDULE',
        default: () => 'unset (no scheduled backups)',
        form: 'cron expression, 5 fields (or 6 with seconds first)',
        meaning:
          "when the store backs itself up, e.g. `0 3 * * *` (03:00 every day, the process's local time); run by the process that hosts logging. Each backup is verified before it is listed; /ready warns when the newest is older than twice the interval",
      },
      {
        name: 'BACKUP_DIR',
        default: () => '`<DATA_DIR>/backups`',
        form: 'folder',
        meaning: 'where scheduled and back-office backups are written, listed and downloaded from',
      },
      {
        name: 'BACKUP_KEEP',
        default: () => '`7`',
        meaning:
          'how many backups BACKUP_DIR keeps; the oldest beyond it is deleted after a verified one',
      },
    ],
  },
  {
    title: 'Metrics and traces',
    intro: 'What they show: [operations](operations.md#metrics).',
    variables: [
      {
        name: 'METRICS_ENABLED',
        default: (c) =>
          `${code(c.metrics.enabled)} (in production only with \`METRICS_TOKEN\` or \`METRICS_PORT\`)`,
        meaning:
          "`GET /metrics` (Prometheus) on every process's HTTP port; `false`: 404 and nothing counted; `true` in production without a token or a port is refused",
      },
      {
        name: 'METRICS_TOKEN',
        default: () => 'unset',
        meaning: 'with it, `/metrics` answers only `Authorization: Bearer <token>` (else 401)',
      },
      {
        name: 'METRICS_PORT',
        default: () => 'unset',
        meaning:
          '`/metrics` alone on this port (on `BIND_HOST`) instead of the HTTP port, for a scraper on a network the public cannot reach',
      },
      {
        name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        default: () => 'unset (tracing off)',
        form: 'an `http(s)://` URL',
        meaning:
          'OTLP/HTTP collector for OpenTelemetry traces, e.g. `http://jaeger:4318` (`/v1/traces` is added)',
      },
    ],
  },
  {
    title: 'The classic API profile',
    intro: 'What it serves: [classic API](classic-api.md).',
    variables: [
      {
        name: 'CLASSIC_API',
        default: (c) => code(c.classic.enabled),
        meaning: 'the classic API profile; `--classic` is the same as `CLASSIC_API=1`',
      },
      {
        name: 'CLASSIC_<MODULE>_PORT',
        expand: classicPort,
        default: byModule((c, m) => c.classic.ports[m]),
        meaning:
          "the module's classic port; while the profile is on, a classic port equal to any other HTTP, TCP or classic port is refused",
      },
      {
        name: 'CLASSIC_JWT_KEY',
        default: (c) => `the original services' key ${code(c.classic.jwtKey)} (not in production)`,
        meaning: 'HMAC-SHA256 key of classic tokens; required for the profile in production',
      },
      {
        name: 'CLASSIC_API_PRODUCTION',
        default: () => code(false),
        meaning:
          'the classic profile when `NODE_ENV=production`: refused at start (exit 2) unless this is `true` and `CLASSIC_JWT_KEY` is set',
      },
    ],
  },
];

module.exports = { SECTIONS };
