import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';

/** Mails the signed-in account a new verification link (the earlier ones stop working). */
export function ResendVerification() {
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<unknown>();

  const send = async () => {
    setState('sending');
    setError(undefined);
    try {
      await storeApi.resendVerification();
      setState('sent');
    } catch (caught) {
      setError(caught);
      setState('idle');
    }
  };

  if (state === 'sent')
    return (
      <p className="notice success" role="status">
        A new link is on its way to your address. Earlier links no longer work.
      </p>
    );
  const alreadyVerified = error instanceof ApiError && error.code === 'EMAIL_ALREADY_VERIFIED';
  return (
    <div>
      {alreadyVerified ? (
        <p className="notice success" role="status">
          Your address is already confirmed.
        </p>
      ) : (
        <ErrorNotice error={error} />
      )}
      {!alreadyVerified && (
        <button
          type="button"
          className="secondary"
          disabled={state === 'sending'}
          onClick={() => void send()}
        >
          {state === 'sending' ? 'Sending…' : 'Send a new confirmation link'}
        </button>
      )}
    </div>
  );
}
