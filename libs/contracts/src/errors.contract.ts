import { declareError as spec } from '@mfm/platform/errors/error-codes';
import { ProductsErrorCodes } from './products.contract';

/**
 * The errors each module answers with, by code: what clients (and the other modules) may rely on.
 * The API document's examples come from here, and code throws them from here
 * (`UsersErrors.EMAIL_TAKEN.error({ field: 'email' })`).
 */
export const UsersErrors = {
  WEAK_PASSWORD: spec(
    400,
    'WEAK_PASSWORD',
    (p: { problems: string[] }) => `The password ${p.problems.join(', ')}`,
    { problems: ['needs an uppercase letter', 'a digit'] },
  ),
  INVALID_CREDENTIALS: spec(401, 'INVALID_CREDENTIALS', 'Wrong username or password'),
  INVALID_REFRESH_TOKEN: spec(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is not valid'),
  REFRESH_TOKEN_REUSED: spec(
    401,
    'REFRESH_TOKEN_REUSED',
    'This refresh token was already used; the session has been revoked',
  ),
  ACCOUNT_DISABLED: spec(403, 'ACCOUNT_DISABLED', 'This account is disabled'),
  /** The token check of a disabled account's token: the token no longer counts. */
  TOKEN_ACCOUNT_DISABLED: spec(401, 'ACCOUNT_DISABLED', 'This account is disabled'),
  USER_NOT_FOUND: spec(404, 'USER_NOT_FOUND', (p: { id: string }) => `No user with id ${p.id}`, {
    id: '3f0c1d0e-6a52-4a8e-9d1e-2b9d8f6c1a77',
  }),
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
    (p: { seconds: number }) => `Too many failed logins; try again in ${p.seconds} s`,
    { seconds: 840 },
  ),
  WRONG_PASSWORD: spec(401, 'INVALID_CREDENTIALS', 'Wrong password'),
  INVALID_VERIFICATION_TOKEN: spec(
    400,
    'INVALID_VERIFICATION_TOKEN',
    'This verification link is not valid or has expired',
  ),
  INVALID_RESET_TOKEN: spec(
    400,
    'INVALID_RESET_TOKEN',
    'This password reset link is not valid or has expired',
  ),
  INVALID_EMAIL_CHANGE_TOKEN: spec(
    400,
    'INVALID_EMAIL_CHANGE_TOKEN',
    'This email change link is not valid or has expired',
  ),
  EMAIL_ALREADY_VERIFIED: spec(
    409,
    'EMAIL_ALREADY_VERIFIED',
    'This email address is already verified',
  ),
  EMAIL_UNCHANGED: spec(409, 'EMAIL_UNCHANGED', 'This is already the address of your account'),
  EMAIL_NOT_VERIFIED: spec(
    409,
    'EMAIL_NOT_VERIFIED',
    'Codes are only mailed to a verified address; use your app or a backup code',
  ),
  MFA_ALREADY_ENABLED: spec(409, 'MFA_ALREADY_ENABLED', 'Two-factor sign-in is already on'),
  TOTP_ALREADY_ENROLLED: spec(
    409,
    'MFA_ALREADY_ENABLED',
    'Two-factor sign-in is already on; turn it off first to enrol another app',
  ),
  MFA_NOT_ENROLLING: spec(
    409,
    'MFA_NOT_ENROLLING',
    'Start with POST /api/users/me/mfa/totp to get a secret for your app',
  ),
  MFA_NOT_ENABLED: spec(409, 'MFA_NOT_ENABLED', 'Two-factor sign-in is not on for this account'),
  INVALID_MFA_CODE: spec(401, 'INVALID_MFA_CODE', 'The code is not valid'),
  MFA_CODE_REQUIRED: spec(
    401,
    'INVALID_MFA_CODE',
    'Two-factor sign-in is on: a code of your app (or a backup code) is needed too',
  ),
  MFA_CODE_REUSED: spec(
    401,
    'MFA_CODE_REUSED',
    'This code was already used; wait for the next one',
  ),
  MFA_CHALLENGE_INVALID: spec(
    401,
    'MFA_CHALLENGE_INVALID',
    'This sign-in has expired, was completed, or had too many wrong codes; log in again',
  ),
  TOO_MANY_MFA_ATTEMPTS: spec(
    429,
    'TOO_MANY_MFA_ATTEMPTS',
    (p: { seconds: number }) => `Too many wrong codes; try again in ${p.seconds} s`,
    { seconds: 600 },
  ),
  TOO_MANY_EMAIL_CODES: spec(
    429,
    'TOO_MANY_EMAIL_CODES',
    (p: { max: number }) => `At most ${p.max} codes are mailed per sign-in; log in again for more`,
    { max: 3 },
  ),
  TOO_MANY_EMAIL_CODES_FOR_ACCOUNT: spec(
    429,
    'TOO_MANY_EMAIL_CODES',
    (p: { seconds: number }) =>
      `Enough sign-in codes were mailed to this account for now; use your app or a backup code, or try again in ${p.seconds} s`,
    { seconds: 2400 },
  ),
  PASSKEY_REJECTED: spec(
    400,
    'PASSKEY_REJECTED',
    (p: { reason: string }) => `The passkey was not accepted: ${p.reason}`,
    { reason: 'Unexpected registration response origin' },
  ),
  PASSKEY_LOGIN_REJECTED: spec(401, 'PASSKEY_REJECTED', 'The passkey was not accepted'),
  PASSKEY_ASSERTION_REJECTED: spec(
    401,
    'PASSKEY_REJECTED',
    (p: { reason: string }) => `The passkey was not accepted: ${p.reason}`,
    { reason: 'Unexpected authentication response origin' },
  ),
  PASSKEY_OTHER_ACCOUNT: spec(401, 'PASSKEY_REJECTED', 'This passkey belongs to another account'),
  PASSKEY_UNKNOWN: spec(401, 'PASSKEY_UNKNOWN', 'This passkey is not registered here'),
  PASSKEY_CHALLENGE_INVALID: spec(
    400,
    'PASSKEY_CHALLENGE_INVALID',
    'This passkey challenge is unknown, used or expired; ask for new options',
  ),
  PASSKEY_NOT_FOUND: spec(404, 'PASSKEY_NOT_FOUND', 'No passkey with this id on your account'),
  PASSKEY_EXISTS: spec(409, 'PASSKEY_EXISTS', 'This passkey is already registered'),
  TOO_MANY_PASSKEYS: spec(
    409,
    'TOO_MANY_PASSKEYS',
    (p: { max: number }) => `An account may have ${p.max} passkeys`,
    { max: 20 },
  ),
  REAUTHENTICATION_REQUIRED: spec(
    403,
    'REAUTHENTICATION_REQUIRED',
    (p: { minutes: number }) =>
      `Confirm it is you first: POST /api/users/me/reauthenticate (it counts for ${p.minutes} minutes), then use the token it answers`,
    { minutes: 10 },
  ),
  PASSKEY_REQUIRED: spec(
    403,
    'PASSKEY_REQUIRED',
    'This account has a passkey as its second factor: confirm with one of them',
  ),
} as const;

export const ProductsErrors = {
  PRODUCT_NOT_FOUND: spec(
    404,
    'PRODUCT_NOT_FOUND',
    (p: { id: string }) => `No product with id ${p.id}`,
    { id: '0d9b4c6e-5f3a-4b7e-8c21-7a6f4e2d1b90' },
  ),
  PRODUCT_NAME_TAKEN: spec(
    409,
    'PRODUCT_NAME_TAKEN',
    (p: { name: string }) => `A product named "${p.name}" already exists`,
    { name: 'Oat milk 1 l' },
  ),
  VERSION_CONFLICT: spec(
    409,
    'VERSION_CONFLICT',
    (p: { expected: number; current: number }) =>
      `The product changed since version ${p.expected}; it is now at version ${p.current}`,
    { expected: 3, current: 4 },
  ),
  REVIEW_NOT_FOUND: spec(
    404,
    'REVIEW_NOT_FOUND',
    (p: { id: string }) => `No review with id ${p.id} of this product`,
    { id: '4f2b6a1c-3d5e-4f70-8a9b-0c1d2e3f4a5b' },
  ),
  PURCHASE_REQUIRED: spec(
    403,
    'PURCHASE_REQUIRED',
    'Only customers with a confirmed order of this product can review it',
  ),
  NOT_REVIEW_AUTHOR: spec(403, 'NOT_REVIEW_AUTHOR', 'Only its author can edit a review'),
  REVIEW_EXISTS: spec(
    409,
    'REVIEW_EXISTS',
    'You have already reviewed this product; edit your review instead',
  ),
  /** The row changed between the version check and the write (another edit won). */
  EDITED_MEANWHILE: spec(
    409,
    'VERSION_CONFLICT',
    'The product changed while it was being edited; reload and retry',
  ),
  IF_MATCH_INVALID: spec(
    400,
    'VALIDATION_FAILED',
    'If-Match must be a product version such as "3"',
  ),
  IF_MATCH_DISAGREES: spec(400, 'VALIDATION_FAILED', 'If-Match and version disagree'),
  /** reserve_stock (bus only): the reservation was released before it arrived. */
  RESERVATION_RELEASED: spec(
    409,
    ProductsErrorCodes.RESERVATION_RELEASED,
    (p: { reservationId: string }) => `Reservation ${p.reservationId} was released`,
    { reservationId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' },
  ),
  /** reserve_stock (bus only): some products are unknown or archived; nothing taken. */
  RESERVE_UNKNOWN_PRODUCT: spec(
    422,
    ProductsErrorCodes.UNKNOWN_PRODUCT,
    (p: { ids: readonly string[] }) =>
      `Unknown or archived product${p.ids.length > 1 ? 's' : ''}: ${p.ids.join(', ')}`,
    { ids: ['0d9b4c6e-5f3a-4b7e-8c21-7a6f4e2d1b90'] },
  ),
  /** reserve_stock (bus only): some lines ask for more than is left; nothing taken. */
  RESERVE_INSUFFICIENT_STOCK: spec(
    409,
    ProductsErrorCodes.INSUFFICIENT_STOCK,
    (p: { lines: number }) => `Not enough stock for ${p.lines} line${p.lines > 1 ? 's' : ''}`,
    { lines: 2 },
  ),
} as const;

/** A line an order could not have, as the INSUFFICIENT_STOCK message names it. */
interface ShortOrderLine {
  /** The product's name, or its id when products did not say. */
  label: string;
  requested: number;
  available: number;
}

export const OrdersErrors = {
  ORDER_NOT_FOUND: spec(404, 'ORDER_NOT_FOUND', (p: { id: string }) => `No order with id ${p.id}`, {
    id: '7c1e2f4a-9b3d-4e6f-8a5c-1d2e3f4a5b6c',
  }),
  INSUFFICIENT_STOCK: spec(
    409,
    'INSUFFICIENT_STOCK',
    (p: { lines: readonly ShortOrderLine[] }) =>
      `Not enough stock for: ${p.lines.map((l) => `${l.label} (asked ${l.requested}, ${l.available} left)`).join(', ')}`,
    { lines: [{ label: 'Whole milk 1 l', requested: 5, available: 2 }] },
  ),
  ORDER_NOT_CANCELLABLE: spec(
    409,
    'ORDER_NOT_CANCELLABLE',
    (p: { status: string }) => `A ${p.status} order cannot be cancelled`,
    { status: 'CONFIRMED' },
  ),
  IDEMPOTENCY_IN_PROGRESS: spec(
    409,
    'IDEMPOTENCY_IN_PROGRESS',
    'A request with this Idempotency-Key is still being processed; retry shortly',
  ),
  UNKNOWN_PRODUCT: spec(
    422,
    'UNKNOWN_PRODUCT',
    (p: { names: readonly string[] }) =>
      `Unknown or unavailable product${p.names.length > 1 ? 's' : ''}: ${p.names.join(', ')}`,
    { names: ['Oat milk 1 l'] },
  ),
  IDEMPOTENCY_KEY_REUSED: spec(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request',
  ),
  EMAIL_NOT_VERIFIED: spec(
    403,
    'EMAIL_NOT_VERIFIED',
    'Verify your email address before ordering: open the link we mailed you',
  ),
  IDEMPOTENCY_KEY_INVALID: spec(
    400,
    'VALIDATION_FAILED',
    'Idempotency-Key must be 1-128 letters, digits, dots, underscores, colons or dashes',
  ),
  /** The saga found its order already finished by another path (recovery, cancellation). */
  ORDER_NOT_PENDING: spec(409, 'ORDER_NOT_PENDING', 'The order was finished elsewhere'),
} as const;

export const LoggingErrors = {
  FORBIDDEN_OTHERS_EVENTS: spec(
    403,
    'FORBIDDEN',
    'Customers may only read the events they performed',
  ),
  BACKUP_NOT_FOUND: spec(
    404,
    'BACKUP_NOT_FOUND',
    (p: { name: string }) => `No backup named ${p.name} in the store's backup folder`,
    { name: 'mfm-backup-20261206T030000Z.tar.gz' },
  ),
} as const;

export const SearchErrors = {
  SYNONYM_GROUP_NOT_FOUND: spec(
    404,
    'SYNONYM_GROUP_NOT_FOUND',
    (p: { id: string }) => `No synonym group with id ${p.id}`,
    { id: '5b2e8c1d-7f3a-4c6e-9d0b-1a2f3e4d5c6b' },
  ),
  /** The group was edited since the version the caller saw (details: currentVersion). */
  SYNONYM_VERSION_CONFLICT: spec(
    409,
    'VERSION_CONFLICT',
    (p: { expected: number; current: number }) =>
      `The synonym group changed since version ${p.expected}; it is now at version ${p.current}`,
    { expected: 2, current: 3 },
  ),
  /**
   * A word belongs to one group at most: "chips" cannot mean crisps in one group and fries in
   * another. Details name the field, the word and the group that has it.
   */
  SYNONYM_TERM_TAKEN: spec(
    409,
    'SYNONYM_TERM_TAKEN',
    (p: { term: string }) => `"${p.term}" is already in another synonym group`,
    { term: 'chips' },
  ),
} as const;
