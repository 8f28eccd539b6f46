import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import type { MfaChallenge, MfaMethod, User } from '../api/api.types';
import { ErrorNotice } from '../ui/error-notice.component';
import { assertPasskey, passkeysSupported, wasCancelled } from './passkeys';
import { session } from './session.store';
import { storeApi } from '../api/store-api.client';

/** The second steps taken with a typed code (a passkey has its own button). */
type CodeMethod = Exclude<MfaMethod, 'passkey'>;

const LABELS: Record<CodeMethod, { field: string; hint: string; autoComplete: string }> = {
  totp: {
    field: 'Code from your authenticator app',
    hint: 'Six digits; a new one every 30 seconds.',
    autoComplete: 'one-time-code',
  },
  backup_code: {
    field: 'Backup code',
    hint: 'One of the codes you kept when you turned two-factor sign-in on. Each works once.',
    autoComplete: 'off',
  },
  email: {
    field: 'Code from the mail',
    hint: 'Six digits, valid for ten minutes.',
    autoComplete: 'one-time-code',
  },
};

/** "Try again in 15 minutes." from the store's `retryAfterSeconds`. */
function retryIn(error: unknown): string {
  const seconds = ((error as ApiError).details as { retryAfterSeconds?: number } | undefined)
    ?.retryAfterSeconds;
  if (typeof seconds !== 'number') return 'Please try again later.';
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/**
 * The second step of signing in: the password was right, and the store asks for a code of the
 * authenticator app, a backup code, or a code it mails. A challenge ends after five wrong codes
 * or five minutes; then the only way on is to start again.
 */
export function MfaStep({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: MfaChallenge;
  onSignedIn: (user: User) => void;
  onRestart: () => void;
}) {
  const offered = challenge.methods;
  const [method, setMethod] = useState<CodeMethod>(
    offered.includes('totp') ? 'totp' : offered.includes('backup_code') ? 'backup_code' : 'email',
  );
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [mailed, setMailed] = useState(false);
  const [error, setError] = useState<unknown>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), [method]);

  const choose = (next: CodeMethod) => {
    setMethod(next);
    setCode('');
    setError(undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await session.completeMfa(challenge.mfaToken, code.trim(), method));
    } catch (caught) {
      setError(caught);
      setCode('');
      setBusy(false);
      input.current?.focus();
    }
  };

  const withPasskey = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { challengeId, options } = await storeApi.passkeySignInOptions();
      const credential = await assertPasskey(options);
      onSignedIn(await session.completeMfaWithPasskey(challenge.mfaToken, challengeId, credential));
    } catch (caught) {
      if (!wasCancelled(caught)) setError(caught);
      setBusy(false);
    }
  };

  const mailCode = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await session.mailMfaCode(challenge.mfaToken);
      setMailed(true);
      choose('email');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const errorCode = error instanceof ApiError ? error.code : undefined;
  const spent = errorCode === 'MFA_CHALLENGE_INVALID';
  const tooMany = errorCode === 'TOO_MANY_MFA_ATTEMPTS';
  const wrong = errorCode === 'INVALID_MFA_CODE' || errorCode === 'MFA_CODE_REUSED';
  const label = LABELS[method];

  if (spent || tooMany)
    return (
      <>
        <div className="notice error" role="alert">
          <h2>{tooMany ? 'Too many wrong codes' : 'This sign-in has ended'}</h2>
          <p>
            {tooMany
              ? `For your safety, codes are not accepted for this account for now. ${retryIn(error)}`
              : 'It expired, or had too many wrong codes. Enter your password again to start over.'}
          </p>
        </div>
        <button type="button" onClick={onRestart}>
          Start again
        </button>
      </>
    );

  return (
    <>
      <p>
        Your account has two-factor sign-in. Enter a code
        {offered.includes('passkey') ? ', or use your passkey,' : ''} to finish signing in.
      </p>
      {!wrong && <ErrorNotice error={error} />}
      {mailed && method === 'email' && !error && (
        <p className="notice info" role="status">
          We mailed a code to your address.
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="mfa-code">{label.field}</label>
          <input
            id="mfa-code"
            ref={input}
            inputMode={method === 'backup_code' ? 'text' : 'numeric'}
            autoComplete={label.autoComplete}
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            aria-invalid={wrong ? true : undefined}
            aria-describedby={`mfa-code-hint${wrong ? ' mfa-code-error' : ''}`}
          />
          <span id="mfa-code-hint" className="hint">
            {label.hint}
          </span>
          {wrong && (
            <span id="mfa-code-error" className="field-error" role="alert">
              {errorCode === 'MFA_CODE_REUSED'
                ? 'That code was already used. Wait for the next one.'
                : 'That code is not right. Please check it and try again.'}
            </span>
          )}
        </div>
        <button type="submit" disabled={busy || code.trim() === ''}>
          {busy ? 'Checking…' : 'Verify and sign in'}
        </button>
      </form>
      <h2 className="subheading">Other ways to sign in</h2>
      <div className="actions">
        {offered.includes('passkey') && passkeysSupported() && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void withPasskey()}
          >
            Use my passkey
          </button>
        )}
        {method !== 'totp' && offered.includes('totp') && (
          <button type="button" className="secondary" onClick={() => choose('totp')}>
            Use my authenticator app
          </button>
        )}
        {method !== 'backup_code' && offered.includes('backup_code') && (
          <button type="button" className="secondary" onClick={() => choose('backup_code')}>
            Use a backup code
          </button>
        )}
        {offered.includes('email') && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void mailCode()}
          >
            {mailed ? 'Email me another code' : 'Email me a code'}
          </button>
        )}
      </div>
    </>
  );
}
