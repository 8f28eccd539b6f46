import { UsersErrors } from '@mfm/contracts/errors.contract';

/** What a route that needs a recent re-authentication adds to its errors. */
export const RECENT = [UsersErrors.REAUTHENTICATION_REQUIRED];
