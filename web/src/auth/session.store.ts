import { ApiError } from '../api/api-error';
import type { TokenPair, User } from '../api/api.types';
import { call, setAuthSource } from '../api/http.client';

export type SessionState =
  { status: 'restoring' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

/**
 * Where the refresh token waits between page loads. The access token lives in memory only (this
 * module), so a reload needs the refresh token to start a new one. It is kept in sessionStorage:
 * it survives a reload but not closing the tab, and no other tab sees it. Script on the page can
 * read it, which an httpOnly cookie would prevent; when the store offers its refresh token as a
 * cookie, this key goes away and the cookie carries the session instead.
 */
const REFRESH_KEY = 'mfm.session.refresh';
/** Renew a little before the access token expires, so a checkout never meets a 401 midway. */
const RENEW_EARLY_SECONDS = 60;

function storedRefreshToken(): string | undefined {
  try {
    return sessionStorage.getItem(REFRESH_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeRefreshToken(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(REFRESH_KEY, token);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // storage refused (private mode): the session lasts until the page is closed
  }
}

let state: SessionState = storedRefreshToken() ? { status: 'restoring' } : { status: 'signed-out' };
let accessToken: string | undefined;
let renewing: Promise<boolean> | undefined;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

function accept(pair: TokenPair): void {
  accessToken = pair.accessToken;
  storeRefreshToken(pair.refreshToken);
  clearTimeout(renewTimer);
  const delay = Math.max(5, pair.expiresIn - RENEW_EARLY_SECONDS) * 1000;
  renewTimer = setTimeout(() => void session.renew(), delay);
  setState({ status: 'signed-in', user: pair.user });
}

function forget(): void {
  accessToken = undefined;
  storeRefreshToken(undefined);
  clearTimeout(renewTimer);
  setState({ status: 'signed-out' });
}

async function exchangeRefreshToken(): Promise<boolean> {
  const refreshToken = storedRefreshToken();
  if (!refreshToken) {
    if (state.status !== 'signed-out') forget();
    return false;
  }
  try {
    accept(
      await call<TokenPair>('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken },
        auth: false,
      }),
    );
    return true;
  } catch (error) {
    // Refused (expired, reused, account disabled): the session is over. Anything else (offline,
    // the store busy) leaves the refresh token for the next attempt.
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

  async login(username: string, password: string): Promise<User> {
    const pair = await call<TokenPair>('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      auth: false,
    });
    accept(pair);
    return pair.user;
  },

  async logout(): Promise<void> {
    try {
      if (accessToken) await call<void>('/api/auth/logout', { method: 'POST' });
    } catch {
      // Signed out here whatever the store says: the tokens are dropped below.
    } finally {
      forget();
    }
  },

  /**
   * A new access token from the refresh token. One exchange at a time: a refresh token works
   * once, and presenting it twice would end the session.
   */
  renew(): Promise<boolean> {
    renewing ??= exchangeRefreshToken().finally(() => (renewing = undefined));
    return renewing;
  },

  /** After a reload: back to signed in when a refresh token is kept. */
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
