import { useState } from 'react';
import type { User } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { passkeysSupported, assertPasskey, wasCancelled } from './passkeys';
import { session } from './session.store';

/** "Sign in with a passkey": no username or password; the browser asks which passkey to use. */
export function PasskeySignIn({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!passkeysSupported()) return null;

  const signIn = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { challengeId, options } = await storeApi.passkeySignInOptions();
      const credential = await assertPasskey(options);
      onSignedIn(await session.loginWithPasskey(challengeId, credential));
    } catch (caught) {
      if (!wasCancelled(caught)) setError(caught);
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="passkey-heading" className="passkey-sign-in">
      <h2 id="passkey-heading" className="subheading">
        Or use a passkey
      </h2>
      <ErrorNotice error={error} />
      <button type="button" className="secondary" disabled={busy} onClick={() => void signIn()}>
        {busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
      </button>
    </section>
  );
}
