/** The roles a signed-in caller can have; routes require them with @Auth(...roles). */
export const ROLES = ['customer', 'employee'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as the users database knows them at the time of the check. */
export interface VerifiedUser {
  userId: string;
  username: string;
  role: Role;
  /** The token was issued after a second factor (TOTP, backup code, emailed code) or a passkey. */
  mfa?: boolean;
  /** The account's email address is verified (false: it may browse but not order). */
  emailVerified?: boolean;
  /** When the holder last proved who they are again (seconds since the epoch), if they did. */
  reauthAt?: number;
  /** The sign-in session the token belongs to (absent for the classic API's tokens). */
  sessionId?: string;
}
