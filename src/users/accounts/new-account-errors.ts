import { UsersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';

/** How creating an account is refused, by sign-up and by an employee alike (UserAccounts.create). */
export const NEW_ACCOUNT_ERRORS = [
  PlatformErrors.VALIDATION_FAILED,
  UsersErrors.WEAK_PASSWORD,
  UsersErrors.USERNAME_TAKEN,
  UsersErrors.EMAIL_TAKEN,
];
