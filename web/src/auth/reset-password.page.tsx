import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { TextField } from '../ui/text-field.component';
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
        <TextField
          id="reset-password"
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          problem={passwordProblem}
          alert
          describedBy="reset-password-rules"
        >
          <span className="hint">Your password needs:</span>
          <PasswordRules id="reset-password-rules" password={password} />
        </TextField>
        <TextField
          id="reset-repeat"
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          problem={repeatProblem}
          alert
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the new password'}
        </button>
      </form>
    </div>
  );
}
