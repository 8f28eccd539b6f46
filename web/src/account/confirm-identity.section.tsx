import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { assertPasskey, passkeysSupported, wasCancelled } from '../auth/passkeys';
import { session } from '../auth/session.store';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { CodeField, isCodeError } from './code-field.component';
import { CurrentPasswordField, wrongPassword } from './current-password-field.component';

/** The store asked for a new confirmation (its window passed): show this section again. */
export function noteLapsedConfirmation(error: unknown): void {
  if (error instanceof ApiError && error.code === 'REAUTHENTICATION_REQUIRED')
    session.confirmationLapsed();
}

/**
 * "Confirm it is you" before the settings that change how the account signs in or where its mail
 * goes: the password (and a code of the app when two-factor sign-in is on), or a passkey. The
 * confirmation lasts a few minutes, so a token taken from this page alone cannot change them.
 */
export function ConfirmIdentitySection() {
  const status = useQuery({ queryKey: ['mfa'], queryFn: () => storeApi.mfaStatus() });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      if (!wasCancelled(caught)) setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const withPassword = (event: FormEvent) => {
    event.preventDefault();
    void run(() => session.confirmIdentity(password, code.trim() || undefined));
  };
  const withPasskey = () =>
    run(async () => {
      const { challengeId, options } = await storeApi.passkeySignInOptions();
      await session.confirmIdentityWithPasskey(challengeId, await assertPasskey(options));
    });

  const passwordProblem = wrongPassword(error);
  const passkeyNeeded = error instanceof ApiError && error.code === 'PASSKEY_REQUIRED';
  const generalError = passwordProblem || isCodeError(error) || passkeyNeeded ? undefined : error;

  let body;
  if (status.isPending) body = <Loading label="Loading your sign-in settings…" />;
  else if (status.error) body = <ErrorNotice error={status.error} />;
  else
    body = (
      <>
        <p>
          To change two-factor sign-in, your passkeys or your email address, confirm it is you
          first. It counts for a few minutes.
        </p>
        <ErrorNotice error={generalError} />
        {passkeyNeeded && (
          <p className="notice" role="alert">
            Your account has a passkey as its second factor: confirm with it.
          </p>
        )}
        <form onSubmit={withPassword} noValidate>
          <CurrentPasswordField
            id="confirm-password"
            label="Password to confirm it is you"
            value={password}
            onChange={setPassword}
            problem={passwordProblem}
            alert
          />
          {status.data.totpEnabled && (
            <CodeField
              id="confirm-code"
              label="Code from your app to confirm it is you"
              hint="Six digits from your app, or one of your backup codes."
              value={code}
              onChange={setCode}
              error={error}
            />
          )}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Checking…' : 'Confirm it is me'}
            </button>
            {status.data.passkeys > 0 && passkeysSupported() && (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => void withPasskey()}
              >
                Confirm with a passkey
              </button>
            )}
          </div>
        </form>
      </>
    );

  return (
    <section className="panel account-section" aria-labelledby="account-confirm">
      <h2 id="account-confirm">Confirm it is you</h2>
      {body}
    </section>
  );
}
