import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { storeApi } from '../api/store-api.client';
import { createPasskey, passkeysSupported, wasCancelled } from '../auth/passkeys';
import { formatDateTime } from '../format/dates.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { noteLapsedConfirmation } from './confirm-identity.section';

/** Passkeys sign in without a password: list them, add one on this device, remove one. */
export function PasskeysSection() {
  const queryClient = useQueryClient();
  const passkeys = useQuery({ queryKey: ['passkeys'], queryFn: () => storeApi.passkeys() });
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      await queryClient.invalidateQueries({ queryKey: ['passkeys'] });
      await queryClient.invalidateQueries({ queryKey: ['mfa'] });
    } catch (caught) {
      noteLapsedConfirmation(caught);
      if (!wasCancelled(caught)) setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const label = name.trim() || 'Passkey';
    void run(async () => {
      const { challengeId, options } = await storeApi.passkeyRegistrationOptions();
      const credential = await createPasskey(options);
      await storeApi.addPasskey(challengeId, credential, label);
      setName('');
      return `The passkey “${label}” is added. You can sign in with it.`;
    });
  };

  return (
    <section className="panel account-section" aria-labelledby="account-passkeys">
      <h2 id="account-passkeys">Passkeys</h2>
      {notice && (
        <p className="notice success" role="status">
          {notice}
        </p>
      )}
      <ErrorNotice error={error} />
      {passkeys.isPending ? (
        <Loading label="Loading your passkeys…" />
      ) : passkeys.error ? (
        <ErrorNotice error={passkeys.error} />
      ) : passkeys.data.length === 0 ? (
        <p className="muted">No passkeys yet.</p>
      ) : (
        <ul className="passkey-list" aria-label="Your passkeys">
          {passkeys.data.map((passkey) => (
            <li key={passkey.id}>
              <span>
                <strong>{passkey.name}</strong>{' '}
                <span className="muted">
                  added {formatDateTime(passkey.createdAt)}
                  {passkey.lastUsedAt ? `, last used ${formatDateTime(passkey.lastUsedAt)}` : ''}
                </span>
              </span>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await storeApi.removePasskey(passkey.id);
                    return `The passkey “${passkey.name}” is removed.`;
                  })
                }
              >
                Remove {passkey.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form onSubmit={add} noValidate>
          <div className="field">
            <label htmlFor="passkey-name">Name of the new passkey</label>
            <input
              id="passkey-name"
              maxLength={64}
              placeholder="e.g. Laptop"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Waiting for your device…' : 'Add a passkey'}
          </button>
        </form>
      ) : (
        <p className="muted">This browser does not offer passkeys.</p>
      )}
    </section>
  );
}
