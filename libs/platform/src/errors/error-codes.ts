import { AppError } from './error-body';

/**
 * An error a route can answer with: its status, its stable code and a message as the store
 * writes it. The API document shows one example per status from these; code throws the same.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly code: string;
  /** A realistic message (the real one may name the field, id or peer concerned). */
  readonly message: string;
}

/** An error whose message is always the same; details (such as the field) vary per throw. */
export interface FixedError extends ErrorSpec {
  error(details?: Record<string, unknown>): AppError;
}

/** An error whose message names what it is about; the example fills it for the API document. */
export interface TemplatedError<P> extends ErrorSpec {
  error(params: P, details?: Record<string, unknown>): AppError;
}

/**
 * Declares an error once: the API document's example and every throw come from here, so a
 * status, code or wording cannot drift between the two.
 */
export function declareError(status: number, code: string, message: string): FixedError;
export function declareError<P>(
  status: number,
  code: string,
  message: (params: P) => string,
  example: P,
): TemplatedError<P>;
export function declareError<P>(
  status: number,
  code: string,
  message: string | ((params: P) => string),
  example?: P,
): FixedError | TemplatedError<P> {
  if (typeof message === 'string') {
    return {
      status,
      code,
      message,
      error: (details?: Record<string, unknown>) => new AppError(status, code, message, details),
    };
  }
  return {
    status,
    code,
    message: message(example as P),
    error: (params: P, details?: Record<string, unknown>) =>
      new AppError(status, code, message(params), details),
  };
}

const spec = declareError;

/** A field a request got wrong and what is wrong with it, as VALIDATION_FAILED lists them. */
export interface FieldError {
  field: string;
  messages: string[];
}

const listFields = (fields: readonly FieldError[]) =>
  fields.map((f) => `${f.field} (${f.messages.join('; ')})`).join(', ');

/** Errors of the platform itself, which any module's route can answer with. */
export const PlatformErrors = {
  VALIDATION_FAILED: spec(
    400,
    'VALIDATION_FAILED',
    (p: { fields: readonly FieldError[] }) => `Invalid request: ${listFields(p.fields)}`,
    {
      fields: [
        { field: 'name', messages: ['name must be shorter than or equal to 100 characters'] },
      ],
    },
  ),
  BAD_REQUEST: spec(
    400,
    'BAD_REQUEST',
    "Body is not valid JSON but content-type is set to 'application/json'",
  ),
  BODY_TOO_DEEP: spec(
    400,
    'BODY_TOO_DEEP',
    (p: { maxDepth: number }) => `JSON nested deeper than ${p.maxDepth} levels`,
    { maxDepth: 32 },
  ),
  UNAUTHENTICATED: spec(401, 'UNAUTHENTICATED', 'A valid bearer token is required'),
  INVALID_TOKEN: spec(401, 'INVALID_TOKEN', 'The access token is not valid: jwt expired'),
  TOKEN_REVOKED: spec(401, 'TOKEN_REVOKED', 'This token has been revoked; log in again'),
  ROLE_CHANGED: spec(401, 'ROLE_CHANGED', 'The role of this account has changed; log in again'),
  FORBIDDEN: spec(
    403,
    'FORBIDDEN',
    (p: { roles: readonly string[] }) => `This action requires the ${p.roles.join(' or ')} role`,
    { roles: ['employee'] },
  ),
  MFA_REQUIRED: spec(
    403,
    'MFA_REQUIRED',
    'Employees must sign in with a second factor: confirm it is you (POST /api/users/me/reauthenticate), set up an authenticator app or a passkey, then log in again',
  ),
  CSRF_HEADER_REQUIRED: spec(
    403,
    'CSRF_HEADER_REQUIRED',
    'Requests that use the refresh cookie must send the header X-CSRF: 1',
  ),
  ORIGIN_NOT_ALLOWED: spec(
    403,
    'ORIGIN_NOT_ALLOWED',
    'The refresh cookie can only be used from this site or an origin in CORS_ORIGINS',
  ),
  PAYLOAD_TOO_LARGE: spec(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large'),
  TOO_MANY_REQUESTS: spec(
    429,
    'TOO_MANY_REQUESTS',
    (p: { per: string; seconds: number }) =>
      `Too many requests from this ${p.per}; try again in ${p.seconds} s`,
    { per: 'client address', seconds: 30 },
  ),
  INTERNAL: spec(500, 'INTERNAL', 'Internal server error'),
  PEER_UNAVAILABLE: spec(
    503,
    'PEER_UNAVAILABLE',
    (p: { peer: string }) => `The ${p.peer} service is unavailable`,
    { peer: 'products' },
  ),
  PEER_TIMEOUT: spec(
    503,
    'PEER_TIMEOUT',
    (p: { peer: string; timeoutMs: number }) =>
      `The ${p.peer} service did not answer within ${p.timeoutMs} ms`,
    { peer: 'products', timeoutMs: 3000 },
  ),
  PEER_INCOMPATIBLE: spec(
    503,
    'PEER_INCOMPATIBLE',
    (p: { peer: string }) =>
      `The ${p.peer} service does not handle this request: the modules run different versions`,
    { peer: 'products' },
  ),
  SHUTTING_DOWN: spec(
    503,
    'SHUTTING_DOWN',
    'This process is shutting down; retry, another one will answer',
  ),
  STORAGE_UNAVAILABLE: spec(
    503,
    'STORAGE_UNAVAILABLE',
    (p: { module: string }) =>
      `The ${p.module} storage cannot save changes right now; nothing was saved. Retry shortly.`,
    { module: 'orders' },
  ),
  /** A read the storage could not answer (no module named: the filter sees only the error). */
  STORAGE_READ_UNAVAILABLE: spec(
    503,
    'STORAGE_UNAVAILABLE',
    'The storage cannot answer right now. Retry shortly.',
  ),
  /** A paging cursor that does not fit the request; the reason names how. */
  INVALID_CURSOR: spec(400, 'VALIDATION_FAILED', (p: { reason: string }) => p.reason, {
    reason: 'cursor must be the nextCursor of the previous page',
  }),
  PEER_CIRCUIT_OPEN: spec(
    503,
    'PEER_UNAVAILABLE',
    (p: { peer: string }) =>
      `The ${p.peer} service is unavailable (circuit open after repeated failures)`,
    { peer: 'products' },
  ),
  /** A message that reached a process that is draining: the caller retries elsewhere. */
  RPC_SHUTTING_DOWN: spec(503, 'PEER_UNAVAILABLE', 'This process is shutting down'),
  NOT_READY_SHUTTING_DOWN: spec(503, 'SHUTTING_DOWN', 'Not ready: this process is shutting down'),
  NOT_READY: spec(
    503,
    'NOT_READY',
    (p: { down: readonly string[] }) => `Not ready: ${p.down.join(', ')} not answering`,
    { down: ['products'] },
  ),
  METRICS_TOKEN_REQUIRED: spec(401, 'UNAUTHENTICATED', 'This endpoint needs the metrics token'),
  ROUTE_NOT_FOUND: spec(
    404,
    'NOT_FOUND',
    (p: { method: string; path: string }) => `No route ${p.method} ${p.path}`,
    { method: 'GET', path: '/metrics/extra' },
  ),
  /** A bus message from a module the caller table does not list for its pattern. */
  FORBIDDEN_CALLER: spec(
    403,
    'FORBIDDEN_CALLER',
    (p: { caller: string; pattern: string }) => `The ${p.caller} module may not call ${p.pattern}`,
    { caller: 'search', pattern: 'users.contact' },
  ),
  /** The users module's own refusals of a token and of input, under the platform's codes. */
  ACCESS_TOKEN_INVALID: spec(
    401,
    'INVALID_TOKEN',
    (p: { reason: string }) => `The access token is not valid: ${p.reason}`,
    { reason: 'jwt expired' },
  ),
  TOKEN_ACCOUNT_GONE: spec(401, 'INVALID_TOKEN', 'The account of this token no longer exists'),
  CLASSIC_TOKEN_INVALID: spec(401, 'INVALID_TOKEN', 'The classic token is not valid'),
  REFRESH_TOKEN_MISSING: spec(400, 'VALIDATION_FAILED', 'Invalid request: refreshToken (required)'),
  PASSKEY_ID_INVALID: spec(
    400,
    'VALIDATION_FAILED',
    'passkeyId must be a credential id (base64url)',
  ),
} as const;
