import { ApiError } from '../api/api-error';
import type { MfaChallenge, MfaMethod, TokenPair, User } from '../api/api.types';
import { anonymous, answer, setAuthSource, signedIn } from '../api/http.client';

export type SessionState =
  { status: 'restoring' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

/**
 * The access token lives in this module's memory only. The refresh token never reaches script:
 * the store keeps it in an httpOnly cookie for /api/auth (login with `refreshTokenIn: "cookie"`),
 * and every call that uses the cookie carries the CSRF header the store asks for.
 */
const CSRF = { 'X-CSRF': '1' } as const;
/**
 * Whether a session cookie is worth asking about: the cookie itself cannot be read, and without
 * this note every visit of a signed-out shopper would begin with a refused refresh. Not a secret.
 */
const SESSION_HINT = 'mfm.session.active';
/** Renew a little before the access token expires, so a checkout never meets a 401 midway. */
const RENEW_EARLY_SECONDS = 60;

function hinted(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT) === '1';
  } catch {
    return true; // storage refused: ask the store
  }
}

function setHint(active: boolean): void {
  try {
    if (active) localStorage.setItem(SESSION_HINT, '1');
    else localStorage.removeItem(SESSION_HINT);
  } catch {
    // storage refused: the next visit asks the store
  }
}

let state: SessionState = hinted() ? { status: 'restoring' } : { status: 'signed-out' };
let accessToken: string | undefined;
/**
 * Until when the owner's last "confirm it is you" counts (ms since the epoch; 0: not confirmed).
 * Only the token the store answered to it carries the confirmation, so any other token (a login,
 * a refresh) ends it here too.
 */
let confirmedUntil = 0;
let renewing: Promise<boolean> | undefined;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

function accept(pair: TokenPair): void {
  accessToken = pair.accessToken;
  confirmedUntil = 0;
  setHint(true);
  clearTimeout(renewTimer);
  const delay = Math.max(5, pair.expiresIn - RENEW_EARLY_SECONDS) * 1000;
  renewTimer = setTimeout(() => void session.renew(), delay);
  setState({ status: 'signed-in', user: pair.user });
}

function forget(): void {
  accessToken = undefined;
  confirmedUntil = 0;
  setHint(false);
  clearTimeout(renewTimer);
  setState({ status: 'signed-out' });
}

/** A sign-in answered with tokens (the refresh token set as the cookie): this tab's session now. */
async function begin(call: Parameters<typeof answer<TokenPair>>[0]): Promise<User> {
  const pair = await answer(call);
  accept(pair);
  return pair.user;
}

/** The token of a re-authentication: used from now on, and counted as confirmed a little less long. */
function takeConfirmation(answerOf: { accessToken: string; reauthExpiresIn: number }): void {
  accessToken = answerOf.accessToken;
  confirmedUntil = Date.now() + Math.max(0, answerOf.reauthExpiresIn - 10) * 1000;
  setState({ ...state });
}

/**
 * One refresh at a time across this shop's tabs too: they share the cookie, each refresh token
 * works once, and a second tab presenting the one the first just spent would end the session.
 * With the lock, the second tab's request carries the cookie the first one received.
 */
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('mfm-session-refresh', work) : work();
}

async function exchangeRefreshCookie(): Promise<boolean> {
  try {
    const pair = await oneAtATime(() =>
      answer(anonymous.POST('/api/auth/refresh', { params: { header: CSRF }, body: {} })),
    );
    accept(pair);
    return true;
  } catch (error) {
    // Refused (no cookie, expired, reused, account disabled): the session is over. Anything else
    // (offline, the store busy) leaves the cookie for the next attempt.
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) forget();
    else if (state.status === 'restoring') setState({ status: 'signed-out' });
    return false;
  }
}

export const session = {
  get(): SessionState {
    return state;
  },

  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  accessToken(): string | undefined {
    return accessToken;
  },

  /**
   * The password step. An account with two-factor sign-in answers with a challenge instead of
   * tokens: the caller asks for a second factor and completes it with `completeMfa`.
   */
  async login(username: string, password: string): Promise<User | MfaChallenge> {
    const pair = await answer(
      anonymous.POST('/api/auth/login', {
        params: { header: CSRF },
        body: { username, password, refreshTokenIn: 'cookie' },
      }),
    );
    if ('mfaRequired' in pair) return pair;
    accept(pair);
    return pair.user;
  },

  /** The second step: a code of the authenticator app, a backup code or the mailed code. */
  async completeMfa(
    mfaToken: string,
    code: string,
    method?: Exclude<MfaMethod, 'passkey'>,
  ): Promise<User> {
    return begin(
      anonymous.POST('/api/auth/login/mfa', {
        params: { header: CSRF },
        body: { mfaToken, code, method, refreshTokenIn: 'cookie' },
      }),
    );
  },

  /** The second step with one of the account's passkeys (`credential.toJSON()`). */
  async completeMfaWithPasskey(
    mfaToken: string,
    challengeId: string,
    credential: Record<string, unknown>,
  ): Promise<User> {
    return begin(
      anonymous.POST('/api/auth/login/mfa/passkey', {
        params: { header: CSRF },
        body: { mfaToken, challengeId, credential, refreshTokenIn: 'cookie' },
      }),
    );
  },

  /** Whether the owner recently confirmed it is them (needed to change factors or the address). */
  confirmed(): boolean {
    return Date.now() < confirmedUntil;
  },

  /** "Confirm it is you" with the password, and a code of the app when two-factor sign-in is on. */
  async confirmIdentity(password: string, code?: string): Promise<void> {
    takeConfirmation(
      await answer(
        signedIn.POST('/api/users/me/reauthenticate', {
          body: { password, ...(code ? { code } : {}) },
        }),
      ),
    );
  },

  /** "Confirm it is you" with one of the account's passkeys. */
  async confirmIdentityWithPasskey(
    challengeId: string,
    credential: Record<string, unknown>,
  ): Promise<void> {
    takeConfirmation(
      await answer(
        signedIn.POST('/api/users/me/reauthenticate/passkey', {
          body: { challengeId, credential },
        }),
      ),
    );
  },

  /** The store no longer counts the confirmation (its window passed): ask again. */
  confirmationLapsed(): void {
    if (confirmedUntil === 0) return;
    confirmedUntil = 0;
    setState({ ...state });
  },

  /** Mails a six-digit sign-in code to the account's verified address. */
  async mailMfaCode(mfaToken: string): Promise<void> {
    await answer(anonymous.POST('/api/auth/login/mfa/email-code', { body: { mfaToken } }));
  },

  /** Signs in with a passkey's assertion (`credential.toJSON()`). */
  async loginWithPasskey(challengeId: string, credential: Record<string, unknown>): Promise<User> {
    return begin(
      anonymous.POST('/api/auth/passkey/login', {
        params: { header: CSRF },
        body: { challengeId, credential, refreshTokenIn: 'cookie' },
      }),
    );
  },

  /** Ends the session at the store (which also clears the cookie), whatever the answer. */
  async logout(): Promise<void> {
    try {
      // With the access token when there is one; else the cookie names the session.
      const client = accessToken !== undefined ? signedIn : anonymous;
      await answer(client.POST('/api/auth/logout', { params: { header: CSRF } }));
    } catch {
      // Signed out here whatever the store says.
    } finally {
      forget();
    }
  },

  /** A new access token from the refresh cookie; one exchange at a time. */
  renew(): Promise<boolean> {
    renewing ??= exchangeRefreshCookie().finally(() => (renewing = undefined));
    return renewing;
  },

  /** After a reload: back to signed in when the browser holds a session cookie. */
  restore(): Promise<boolean> {
    return state.status === 'restoring' ? session.renew() : Promise.resolve(false);
  },

  /** The signed-in user's profile changed (names, email). */
  updateUser(user: User): void {
    if (state.status === 'signed-in' && state.user.id === user.id)
      setState({ status: 'signed-in', user });
  },
};

setAuthSource(session);
