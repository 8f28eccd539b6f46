import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { TextField } from '../ui/text-field.component';
import { usePageTitle } from '../ui/page-title.hook';

/** Asks the store to mail a reset link; it answers the same whether or not the address is known. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string>();
  const [error, setError] = useState<unknown>();
  usePageTitle('Forgot your password?');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await storeApi.requestPasswordReset(email.trim());
      setSentTo(email.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const emailProblem = error instanceof ApiError ? error.fieldMessage('email') : undefined;
  return (
    <div className="form-narrow">
      <h1>Forgot your password?</h1>
      {sentTo ? (
        <div className="notice success" role="status">
          <p>
            If an account uses {sentTo}, a link to choose a new password is on its way. It works
            once, for 30 minutes.
          </p>
        </div>
      ) : (
        <>
          <p>Enter the email address of your account and we will mail you a link.</p>
          {!emailProblem && <ErrorNotice error={error} />}
          <form onSubmit={(event) => void submit(event)}>
            <TextField
              id="forgot-email"
              label="Email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={setEmail}
              problem={emailProblem}
            />
            <button type="submit" disabled={busy}>
              {busy ? 'Sending…' : 'Send me a reset link'}
            </button>
          </form>
        </>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
