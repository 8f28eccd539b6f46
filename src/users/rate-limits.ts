import { rateLimit } from '@mfm/platform/config/rate-limit-rules';

/**
 * The request limits of the account routes besides login's own throttle. Counted per client
 * address: many shoppers can share one (offices, mobile networks), so the defaults stop a script
 * hammering a route, not a person.
 */
export const UsersLimits = {
  register: rateLimit('register', 'address', [100, 3600], 'sign-ups per client address'),
  refresh: rateLimit('refresh', 'address', [300, 60], 'token refreshes per client address'),
  /** Each request may send a mail or try a token. */
  passwordReset: rateLimit(
    'passwordReset',
    'address',
    [10, 900],
    'password reset requests and confirmations per client address',
  ),
  /**
   * Guessing is bounded per challenge and per account; this stops one address from churning
   * through challenges, and leaves room for an office of shoppers behind one address.
   */
  mfa: rateLimit(
    'mfa',
    'address',
    [300, 900],
    'second-factor steps per client address (codes, mailed codes, passkey sign-ins)',
  ),
  emailVerification: rateLimit(
    'emailVerification',
    'address',
    [20, 3600],
    'verification and email change mails and tokens per client address',
  ),
  feedback: rateLimit('feedback', 'address', [5, 3600], 'contact form messages per client address'),
};
