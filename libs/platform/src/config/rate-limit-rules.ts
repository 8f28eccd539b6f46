/**
 * The request limits of the public HTTP edge besides login, each set by one variable of the form
 * `<requests>/<seconds>` ("1200/60": 1200 requests per 60 s). Sign-up, refresh and search are
 * counted per client address, order placement per account. The defaults stop a script hammering
 * a route, not a shopper: many customers can share one address (offices, mobile networks).
 */
export const RATE_LIMIT_NAMES = [
  'register',
  'refresh',
  'search',
  'orders',
  'passwordReset',
  'mfa',
  'emailVerification',
  'feedback',
] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

export interface RateLimitDefinition {
  variable: string;
  /** What one budget belongs to: the client's address, or the signed-in account. */
  per: 'address' | 'account';
  defaults: RateLimitRule;
}

export const RATE_LIMITS: Record<RateLimitName, RateLimitDefinition> = {
  register: {
    variable: 'RATE_LIMIT_REGISTER',
    per: 'address',
    defaults: { points: 100, durationSeconds: 3600 },
  },
  refresh: {
    variable: 'RATE_LIMIT_REFRESH',
    per: 'address',
    defaults: { points: 300, durationSeconds: 60 },
  },
  search: {
    variable: 'RATE_LIMIT_SEARCH',
    per: 'address',
    defaults: { points: 1200, durationSeconds: 60 },
  },
  orders: {
    variable: 'RATE_LIMIT_ORDERS',
    per: 'account',
    defaults: { points: 600, durationSeconds: 60 },
  },
  /** Password reset requests and confirmations: each one may send a mail or try a token. */
  passwordReset: {
    variable: 'RATE_LIMIT_PASSWORD_RESET',
    per: 'address',
    defaults: { points: 10, durationSeconds: 900 },
  },
  /**
   * Second-factor steps of a login (codes, emailed codes, passkey sign-ins). Guessing is bounded
   * per challenge and per account; this stops one address from churning through challenges, and
   * leaves room for an office of shoppers behind one address.
   */
  mfa: {
    variable: 'RATE_LIMIT_MFA',
    per: 'address',
    defaults: { points: 300, durationSeconds: 900 },
  },
  /** Verification and email change mails an account may ask for, and tokens tried. */
  emailVerification: {
    variable: 'RATE_LIMIT_EMAIL_VERIFICATION',
    per: 'address',
    defaults: { points: 20, durationSeconds: 3600 },
  },
  /** Messages of the store's contact form. */
  feedback: {
    variable: 'RATE_LIMIT_FEEDBACK',
    per: 'address',
    defaults: { points: 5, durationSeconds: 3600 },
  },
};

export const MAX_RATE_LIMIT_POINTS = 1_000_000;
export const MAX_RATE_LIMIT_SECONDS = 86_400;

/** "1200/60" → { points: 1200, durationSeconds: 60 }; unset → undefined. */
export function parseRateLimitRule(text: string | undefined): RateLimitRule | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not <requests>/<seconds> (e.g. 1200/60)`);
  const points = Number(match[1]);
  const durationSeconds = Number(match[2]);
  if (points < 1 || points > MAX_RATE_LIMIT_POINTS)
    throw new Error(`"${text}": the number of requests must be 1-${MAX_RATE_LIMIT_POINTS}`);
  if (durationSeconds < 1 || durationSeconds > MAX_RATE_LIMIT_SECONDS)
    throw new Error(`"${text}": the window must be 1-${MAX_RATE_LIMIT_SECONDS} seconds`);
  return { points, durationSeconds };
}
