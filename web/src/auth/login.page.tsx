import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import type { MfaChallenge, User } from '../api/api.types';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { MfaStep } from './mfa-step.component';
import { nextPath } from './next-path';
import { PasskeySignIn } from './passkey-sign-in.component';
import { session } from './session.store';

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [challenge, setChallenge] = useState<MfaChallenge>();
  usePageTitle('Sign in');

  const signedIn = (user: User) => {
    queryClient.clear();
    void navigate(nextPath(params, user.role === 'employee' ? '/office' : '/'));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await session.login(username.trim(), password);
      if ('mfaRequired' in outcome) {
        setChallenge(outcome);
        setPassword('');
        setBusy(false);
      } else signedIn(outcome);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const wrongCredentials = error instanceof ApiError && error.code === 'INVALID_CREDENTIALS';
  if (challenge)
    return (
      <div className="form-narrow">
        <h1>Sign in: second step</h1>
        <MfaStep
          challenge={challenge}
          onSignedIn={signedIn}
          onRestart={() => setChallenge(undefined)}
        />
      </div>
    );
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
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <PasskeySignIn onSignedIn={signedIn} />
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
