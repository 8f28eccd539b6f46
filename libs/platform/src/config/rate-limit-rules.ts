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

/** A limit's budget holder and its default: `points` requests per `durationSeconds`. */
const limit = (
  per: RateLimitDefinition['per'],
  points: number,
  durationSeconds: number,
): Omit<RateLimitDefinition, 'variable'> => ({ per, defaults: { points, durationSeconds } });

/**
 * The request limits of the public HTTP edge besides login, each set by one variable of the form
 * `<requests>/<seconds>` ("1200/60": 1200 requests per 60 s). Sign-up, refresh and search are
 * counted per client address, order placement per account. The defaults stop a script hammering
 * a route, not a shopper: many customers can share one address (offices, mobile networks).
 */
const LIMITS = {
  register: limit('address', 100, 3600),
  refresh: limit('address', 300, 60),
  search: limit('address', 1200, 60),
  orders: limit('account', 600, 60),
  /** Password reset requests and confirmations: each one may send a mail or try a token. */
  passwordReset: limit('address', 10, 900),
  /**
   * Second-factor steps of a login (codes, emailed codes, passkey sign-ins). Guessing is bounded
   * per challenge and per account; this stops one address from churning through challenges, and
   * leaves room for an office of shoppers behind one address.
   */
  mfa: limit('address', 300, 900),
  /** Verification and email change mails an account may ask for, and tokens tried. */
  emailVerification: limit('address', 20, 3600),
  /** Messages of the store's contact form. */
  feedback: limit('address', 5, 3600),
};

export type RateLimitName = keyof typeof LIMITS;
export const RATE_LIMIT_NAMES = Object.keys(LIMITS) as RateLimitName[];

/** Each limit's variable is named after it: `passwordReset` is set by `RATE_LIMIT_PASSWORD_RESET`. */
const variableOf = (name: string): string =>
  `RATE_LIMIT_${name.replace(/[A-Z]/g, (upper) => `_${upper}`).toUpperCase()}`;

export const RATE_LIMITS = Object.fromEntries(
  RATE_LIMIT_NAMES.map((name) => [name, { variable: variableOf(name), ...LIMITS[name] }]),
) as Record<RateLimitName, RateLimitDefinition>;

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
