import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { nextPath } from './next-path';
import { session } from './session.store';

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  usePageTitle('Sign in');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const user = await session.login(username.trim(), password);
      queryClient.clear();
      void navigate(nextPath(params, user.role === 'employee' ? '/office' : '/'));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const wrongCredentials = error instanceof ApiError && error.code === 'INVALID_CREDENTIALS';
  return (
    <div className="form-narrow">
      <h1>Sign in</h1>
      {wrongCredentials ? (
        <div className="notice error" role="alert">
          <p>That username and password do not match an account.</p>
        </div>
      ) : (
        <ErrorNotice error={error} />
      )}
      <form onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor="login-username">Username</label>
          <input
            id="login-username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here?{' '}
        <Link
          to={`/register${params.get('next') ? `?next=${encodeURIComponent(nextPath(params))}` : ''}`}
        >
          Create an account
        </Link>
      </p>
    </div>
  );
}
