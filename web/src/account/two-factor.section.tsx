import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TotpEnrolment } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { BackupCodesList } from './backup-codes.component';
import { CodeField, isCodeError } from './code-field.component';
import { noteLapsedConfirmation } from './confirm-identity.section';
import { CurrentPasswordField, wrongPassword } from './current-password-field.component';

/** Two-factor sign-in with an authenticator app: turn it on, make new backup codes, turn it off. */
export function TwoFactorSection() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['mfa'], queryFn: () => storeApi.mfaStatus() });
  const [enrolment, setEnrolment] = useState<TotpEnrolment>();
  const [codes, setCodes] = useState<string[]>();
  const [code, setCode] = useState('');
  const [disableCode, setDisableCode] = useState('');
  const [password, setPassword] = useState('');
  /** Which form the last refusal belongs to, so its fields alone show it. */
  const [failedForm, setFailedForm] = useState<'confirm' | 'regenerate' | 'disable'>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  const run = async (
    form: 'confirm' | 'regenerate' | 'disable' | 'start',
    work: () => Promise<void>,
  ) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
      setCode('');
      setDisableCode('');
      setPassword('');
    } catch (caught) {
      noteLapsedConfirmation(caught);
      setError(caught);
      setFailedForm(form === 'start' ? undefined : form);
    } finally {
      setBusy(false);
    }
  };
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['mfa'] });

  const start = () => run('start', async () => setEnrolment(await storeApi.startTotp()));
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run('confirm', async () => {
      setCodes((await storeApi.confirmTotp(code.trim())).backupCodes);
      setEnrolment(undefined);
      await refresh();
    });
  };
  const regenerate = (event: FormEvent) => {
    event.preventDefault();
    void run('regenerate', async () => {
      setCodes((await storeApi.regenerateBackupCodes(code.trim())).backupCodes);
      await refresh();
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void run('disable', async () => {
      await storeApi.disableMfa(password, disableCode.trim());
      setCodes(undefined);
      setNotice('Two-factor sign-in is off. You sign in with your password alone.');
      await refresh();
    });
  };

  const errorOf = (form: typeof failedForm) => (failedForm === form ? error : undefined);
  const passwordProblem = failedForm === 'disable' ? wrongPassword(error) : undefined;
  const generalError = isCodeError(error) || passwordProblem ? undefined : error;

  let body;
  if (status.isPending) body = <Loading label="Loading your sign-in settings…" />;
  else if (status.error) body = <ErrorNotice error={status.error} />;
  else if (codes) body = <BackupCodesList codes={codes} onDone={() => setCodes(undefined)} />;
  else if (enrolment)
    body = (
      <form onSubmit={confirm} noValidate>
        <ol className="steps">
          <li>
            Scan this code with your authenticator app:
            <img
              className="qr-code"
              src={enrolment.qrCode}
              width="200"
              height="200"
              alt="QR code to add Micro Foods Market to your authenticator app"
            />
            <span className="hint">
              Or type in this key: <code data-testid="totp-secret">{enrolment.secret}</code>
            </span>
          </li>
          <li>
            <CodeField
              id="totp-confirm-code"
              label="Code shown by the app"
              value={code}
              onChange={setCode}
              error={errorOf('confirm')}
            />
          </li>
        </ol>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Turn on'}
          </button>
          <button type="button" className="secondary" onClick={() => setEnrolment(undefined)}>
            Cancel
          </button>
        </div>
      </form>
    );
  else if (!status.data.totpEnabled)
    body = (
      <>
        <p>
          <span className="badge off">off</span> Add a code from an authenticator app to your
          password, so a stolen password alone cannot open your account.
        </p>
        <button type="button" disabled={busy} onClick={() => void start()}>
          Turn on two-factor sign-in
        </button>
      </>
    );
  else
    body = (
      <>
        <p>
          <span className="badge ok">on</span> You sign in with your password and a code from your
          authenticator app. Backup codes left: <strong>{status.data.backupCodesLeft}</strong>.
        </p>
        <form onSubmit={regenerate} noValidate aria-labelledby="mfa-regenerate">
          <h3 id="mfa-regenerate">New backup codes</h3>
          <p className="muted">Your earlier backup codes stop working.</p>
          <CodeField
            id="mfa-regenerate-code"
            label="Code from your app for new backup codes"
            value={code}
            onChange={setCode}
            error={errorOf('regenerate')}
          />
          <button type="submit" className="secondary" disabled={busy}>
            Make new backup codes
          </button>
        </form>
        <form onSubmit={disable} noValidate aria-labelledby="mfa-disable">
          <h3 id="mfa-disable">Turn two-factor sign-in off</h3>
          <CurrentPasswordField
            id="mfa-disable-password"
            label="Current password"
            value={password}
            onChange={setPassword}
            problem={passwordProblem}
            alert
          />
          <CodeField
            id="mfa-disable-code"
            label="Code from your app, or a backup code"
            hint="Six digits from your app, or one of your backup codes."
            value={disableCode}
            onChange={setDisableCode}
            error={errorOf('disable')}
          />
          <button type="submit" className="danger" disabled={busy}>
            Turn off two-factor sign-in
          </button>
        </form>
      </>
    );

  return (
    <section className="panel account-section" aria-labelledby="account-mfa">
      <h2 id="account-mfa">Two-factor sign-in</h2>
      {notice && (
        <p className="notice success" role="status">
          {notice}
        </p>
      )}
      <ErrorNotice error={generalError} />
      {body}
    </section>
  );
}
