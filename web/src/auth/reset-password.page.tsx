import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { PasswordRules, passwordIsValid } from '../ui/password-rules.component';
import { LinkRefused } from './link-refused.component';

/** Where the reset mail's link leads: a new password, checked against the store's rule. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();
  usePageTitle('Choose a new password');

  if (!token) return <LinkRefused title="This link is incomplete" kind="reset" />;
  if (error instanceof ApiError && error.code === 'INVALID_RESET_TOKEN')
    return <LinkRefused title="This reset link does not work" kind="reset" error={error} />;
  if (done)
    return (
      <div className="form-narrow">
        <h1>Your password is changed</h1>
        <div className="notice success" role="status">
          <p>Sign in with your new password. Every other session of your account was ended.</p>
        </div>
        <p>
          <Link to="/login">Sign in</Link>
        </p>
      </div>
    );

  const weak = !passwordIsValid(password, {});
  const mismatch = repeat !== password;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (weak) {
      document.getElementById('reset-password')?.focus();
      return;
    }
    if (mismatch) {
      document.getElementById('reset-repeat')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await storeApi.resetPassword(token, password);
      setDone(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const storeProblem =
    error instanceof ApiError
      ? (error.fieldMessage('newPassword') ??
        (error.code === 'WEAK_PASSWORD' ? error.message : undefined))
      : undefined;
  const passwordProblem =
    tried && weak ? 'The password does not meet every rule above yet.' : storeProblem;
  const repeatProblem =
    tried && !weak && mismatch ? 'The two passwords are not the same.' : undefined;
  return (
    <div className="form-narrow">
      <h1>Choose a new password</h1>
      {!storeProblem && <ErrorNotice error={error} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="reset-password">New password</label>
          <input
            id="reset-password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={passwordProblem ? true : undefined}
            aria-describedby={`reset-password-rules${passwordProblem ? ' reset-password-error' : ''}`}
          />
          <span className="hint">Your password needs:</span>
          <PasswordRules id="reset-password-rules" password={password} />
          {passwordProblem && (
            <span id="reset-password-error" className="field-error" role="alert">
              {passwordProblem}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="reset-repeat">New password again</label>
          <input
            id="reset-repeat"
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
            aria-invalid={repeatProblem ? true : undefined}
            aria-describedby={repeatProblem ? 'reset-repeat-error' : undefined}
          />
          {repeatProblem && (
            <span id="reset-repeat-error" className="field-error" role="alert">
              {repeatProblem}
            </span>
          )}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the new password'}
        </button>
      </form>
    </div>
  );
}
