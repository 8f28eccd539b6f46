import type { VerifiedUser } from './verified-user';

/**
 * Checks a caller's token and says who they are now. The users module does (signature with a
 * pinned algorithm, expiry, revocation, the account's current role); the platform only asks.
 */
export interface TokenVerifier {
  /** The bearer token of the store's API; rejects with a 401 when it is not valid. */
  verifyToken(request: { token: string }): Promise<VerifiedUser>;
  /** The classic API profile's token; rejects with a 401 when it is not valid. */
  verifyClassicToken(request: { token: string }): Promise<VerifiedUser>;
}

/** The token of the TokenVerifier (PlatformModule's bindings). */
export const TOKEN_VERIFIER = 'TOKEN_VERIFIER';
