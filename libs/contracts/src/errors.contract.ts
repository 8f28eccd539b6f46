import { ErrorSpec } from '@mfm/platform/errors/error-codes';

/**
 * The errors each module answers with, by code: what clients (and the other modules) may rely on.
 * The API document's examples come from here.
 */
const spec = (status: number, code: string, message: string): ErrorSpec => ({
  status,
  code,
  message,
});

export const UsersErrors = {
  WEAK_PASSWORD: spec(400, 'WEAK_PASSWORD', 'The password needs an uppercase letter, a digit'),
  INVALID_CREDENTIALS: spec(401, 'INVALID_CREDENTIALS', 'Wrong username or password'),
  INVALID_REFRESH_TOKEN: spec(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is not valid'),
  REFRESH_TOKEN_REUSED: spec(
    401,
    'REFRESH_TOKEN_REUSED',
    'This refresh token was already used; the session has been revoked',
  ),
  ACCOUNT_DISABLED: spec(403, 'ACCOUNT_DISABLED', 'This account is disabled'),
  USER_NOT_FOUND: spec(
    404,
    'USER_NOT_FOUND',
    'No user with id 3f0c1d0e-6a52-4a8e-9d1e-2b9d8f6c1a77',
  ),
  USERNAME_TAKEN: spec(409, 'USERNAME_TAKEN', 'That username is taken'),
  EMAIL_TAKEN: spec(409, 'EMAIL_TAKEN', 'That email address is already registered'),
  SELF_LOCKOUT: spec(
    422,
    'SELF_LOCKOUT',
    'You cannot disable your own account or remove your own employee role',
  ),
  TOO_MANY_LOGIN_ATTEMPTS: spec(
    429,
    'TOO_MANY_LOGIN_ATTEMPTS',
    'Too many failed logins; try again in 840 s',
  ),
} as const;

export const ProductsErrors = {
  PRODUCT_NOT_FOUND: spec(
    404,
    'PRODUCT_NOT_FOUND',
    'No product with id 0d9b4c6e-5f3a-4b7e-8c21-7a6f4e2d1b90',
  ),
  PRODUCT_NAME_TAKEN: spec(
    409,
    'PRODUCT_NAME_TAKEN',
    'A product named "Oat milk 1 l" already exists',
  ),
  VERSION_CONFLICT: spec(
    409,
    'VERSION_CONFLICT',
    'The product changed since version 3; it is now at version 4',
  ),
} as const;

export const OrdersErrors = {
  ORDER_NOT_FOUND: spec(
    404,
    'ORDER_NOT_FOUND',
    'No order with id 7c1e2f4a-9b3d-4e6f-8a5c-1d2e3f4a5b6c',
  ),
  INSUFFICIENT_STOCK: spec(
    409,
    'INSUFFICIENT_STOCK',
    'Not enough stock for: Whole milk 1 l (asked 5, 2 left)',
  ),
  ORDER_NOT_CANCELLABLE: spec(
    409,
    'ORDER_NOT_CANCELLABLE',
    'A CONFIRMED order cannot be cancelled',
  ),
  IDEMPOTENCY_IN_PROGRESS: spec(
    409,
    'IDEMPOTENCY_IN_PROGRESS',
    'A request with this Idempotency-Key is still being processed; retry shortly',
  ),
  UNKNOWN_PRODUCT: spec(422, 'UNKNOWN_PRODUCT', 'Unknown or unavailable product: Oat milk 1 l'),
  IDEMPOTENCY_KEY_REUSED: spec(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request',
  ),
} as const;

export const LoggingErrors = {
  FORBIDDEN_OTHERS_EVENTS: spec(
    403,
    'FORBIDDEN',
    'Customers may only read the events they performed',
  ),
} as const;
