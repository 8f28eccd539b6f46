import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import type { NewAccount } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { PasswordRules, passwordIsValid } from '../ui/password-rules.component';
import { nextPath } from './next-path';
import { session } from './session.store';

const EMPTY: NewAccount = { firstName: '', lastName: '', username: '', email: '', password: '' };

export function RegisterPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [account, setAccount] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [triedWeak, setTriedWeak] = useState(false);
  usePageTitle('Create an account');

  const set = (field: keyof NewAccount) => (event: { target: { value: string } }) =>
    setAccount((current) => ({ ...current, [field]: event.target.value }));
  const fieldError = (field: string) =>
    error instanceof ApiError ? error.fieldMessage(field) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passwordIsValid(account.password, account)) {
      setTriedWeak(true);
      document.getElementById('register-password')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await storeApi.register(account);
      await session.login(account.username, account.password);
      queryClient.clear();
      void navigate(nextPath(params));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const field = (
    name: Exclude<keyof NewAccount, 'password'>,
    label: string,
    autoComplete: string,
    type = 'text',
    hint?: string,
  ) => {
    const problem = fieldError(name);
    const describedBy = [hint && `register-${name}-hint`, problem && `register-${name}-error`]
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={`register-${name}`}>{label}</label>
        <input
          id={`register-${name}`}
          type={type}
          autoComplete={autoComplete}
          required
          value={account[name]}
          onChange={set(name)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy || undefined}
        />
        {hint && (
          <span id={`register-${name}-hint`} className="hint">
            {hint}
          </span>
        )}
        {problem && (
          <span id={`register-${name}-error`} className="field-error">
            {problem}
          </span>
        )}
      </div>
    );
  };

  const passwordProblem =
    fieldError('password') ??
    (error instanceof ApiError && error.code === 'WEAK_PASSWORD' ? error.message : undefined);
  return (
    <div className="form-narrow">
      <h1>Create an account</h1>
      {error instanceof ApiError && !['VALIDATION_FAILED', 'WEAK_PASSWORD'].includes(error.code) ? (
        <ErrorNotice error={error} />
      ) : error && !(error instanceof ApiError) ? (
        <ErrorNotice error={error} />
      ) : null}
      <form onSubmit={(event) => void submit(event)} noValidate>
        {field('firstName', 'First name', 'given-name')}
        {field('lastName', 'Last name', 'family-name')}
        {field(
          'username',
          'Username',
          'username',
          'text',
          '3 to 32 letters, digits, dots, dashes or underscores.',
        )}
        {field('email', 'Email', 'email', 'email')}
        <div className="field">
          <label htmlFor="register-password">Password</label>
          <input
            id="register-password"
            type="password"
            autoComplete="new-password"
            required
            value={account.password}
            onChange={set('password')}
            aria-invalid={
              triedWeak && !passwordIsValid(account.password, account) ? true : undefined
            }
            aria-describedby="register-password-rules"
          />
          <span className="hint">Your password needs:</span>
          <PasswordRules id="register-password-rules" password={account.password} owner={account} />
          {passwordProblem && <span className="field-error">{passwordProblem}</span>}
          {triedWeak && !passwordIsValid(account.password, account) && (
            <span className="field-error" role="alert">
              The password does not meet every rule above yet.
            </span>
          )}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </div>
  );
}
