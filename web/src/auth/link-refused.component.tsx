import { Link } from 'react-router';
import { describeError } from '../api/api-error';
import { ResendVerification } from './resend-verification.component';

const WHAT_TO_DO = {
  verification: 'Links in these mails work once, for 24 hours, and only the newest one works.',
  reset: 'Reset links work once, for 30 minutes, and only the newest one works.',
  'email-change': 'Links in these mails work once, and only the newest one works.',
} as const;

/** A mailed link the store refused (expired, used, replaced or mangled), and the way forward. */
export function LinkRefused({
  title,
  kind,
  error,
  resend = false,
}: {
  title: string;
  kind: keyof typeof WHAT_TO_DO;
  error?: unknown;
  resend?: boolean;
}) {
  return (
    <div className="form-narrow">
      <h1>{title}</h1>
      <div className="notice error" role="alert">
        <p>
          {error
            ? describeError(error)
            : 'The link has no code in it. Open the link from the mail again, or copy all of it.'}
        </p>
        <p>{WHAT_TO_DO[kind]}</p>
      </div>
      {kind === 'verification' &&
        (resend ? (
          <ResendVerification />
        ) : (
          <p>
            <Link to="/login?next=/account">Sign in</Link> to have a new link sent.
          </p>
        ))}
      {kind === 'reset' && (
        <p>
          <Link to="/forgot-password">Ask for a new reset link</Link>
        </p>
      )}
      {kind === 'email-change' && (
        <p>
          <Link to="/account">Change your address again</Link> from your account.
        </p>
      )}
    </div>
  );
}
