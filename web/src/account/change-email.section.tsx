import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { TextField } from '../ui/text-field.component';
import { noteLapsedConfirmation } from './confirm-identity.section';
import { CurrentPasswordField, wrongPassword } from './current-password-field.component';

/** A new address is only used once its owner opens the link mailed to it. */
export function ChangeEmailSection() {
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string>();
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSentTo(undefined);
    try {
      await storeApi.requestEmailChange(newEmail.trim(), password);
      setSentTo(newEmail.trim());
      setNewEmail('');
      setPassword('');
    } catch (caught) {
      noteLapsedConfirmation(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const problem = (field: string) =>
    error instanceof ApiError ? error.fieldMessage(field) : undefined;
  const emailProblem = problem('newEmail');
  const passwordProblem = wrongPassword(error) ?? problem('password');
  return (
    <section className="panel account-section" aria-labelledby="account-email">
      <h2 id="account-email">Change your email address</h2>
      {sentTo && (
        <p className="notice success" role="status">
          We mailed a link to {sentTo}. Your account keeps its current address until you open it.
        </p>
      )}
      {!emailProblem && !passwordProblem && <ErrorNotice error={error} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="email-new"
          label="New email address"
          type="email"
          autoComplete="email"
          value={newEmail}
          onChange={setNewEmail}
          problem={emailProblem}
        />
        <CurrentPasswordField
          id="email-password"
          label="Current password"
          value={password}
          onChange={setPassword}
          problem={passwordProblem}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send a confirmation link'}
        </button>
      </form>
    </section>
  );
}
