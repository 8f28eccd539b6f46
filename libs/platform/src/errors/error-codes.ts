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

/** Errors of the platform itself, which any module's route can answer with. */
export const PlatformErrors = {
  VALIDATION_FAILED: spec(
    400,
    'VALIDATION_FAILED',
    'Invalid request: name (name must be shorter than or equal to 100 characters)',
  ),
  BAD_REQUEST: spec(
    400,
    'BAD_REQUEST',
    "Body is not valid JSON but content-type is set to 'application/json'",
  ),
  BODY_TOO_DEEP: spec(400, 'BODY_TOO_DEEP', 'JSON nested deeper than 32 levels'),
  UNAUTHENTICATED: spec(401, 'UNAUTHENTICATED', 'A valid bearer token is required'),
  INVALID_TOKEN: spec(401, 'INVALID_TOKEN', 'The access token is not valid: jwt expired'),
  TOKEN_REVOKED: spec(401, 'TOKEN_REVOKED', 'This token has been revoked; log in again'),
  ROLE_CHANGED: spec(401, 'ROLE_CHANGED', 'The role of this account has changed; log in again'),
  FORBIDDEN: spec(403, 'FORBIDDEN', 'This action requires the employee role'),
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
    'Too many requests from this client address; try again in 30 s',
  ),
  INTERNAL: spec(500, 'INTERNAL', 'Internal server error'),
  PEER_UNAVAILABLE: spec(503, 'PEER_UNAVAILABLE', 'The products service is unavailable'),
  PEER_TIMEOUT: spec(503, 'PEER_TIMEOUT', 'The products service did not answer within 3000 ms'),
  PEER_INCOMPATIBLE: spec(
    503,
    'PEER_INCOMPATIBLE',
    'The products service does not handle this request: the modules run different versions',
  ),
  SHUTTING_DOWN: spec(
    503,
    'SHUTTING_DOWN',
    'This process is shutting down; retry, another one will answer',
  ),
  STORAGE_UNAVAILABLE: spec(
    503,
    'STORAGE_UNAVAILABLE',
    'The orders storage cannot save changes right now; nothing was saved. Retry shortly.',
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
