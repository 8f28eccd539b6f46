/** The codes a second step may take: the app's, a backup code, or one mailed for the sign-in. */
export const MFA_METHODS = ['totp', 'backup_code', 'email'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** How the second step of a login may be taken: a code, or one of the account's passkeys. */
export type SecondStep = MfaMethod | 'passkey';

/** Who did it, for the audit log: the account itself. */
export const selfActor = (user: { id: string; username: string }) => ({
  userId: user.id,
  username: user.username,
});
