import { ApiError } from '../api/api-error';

/** A code of the authenticator app (or a backup code), with the store's refusal beside it. */
export function CodeField({
  id,
  label,
  value,
  onChange,
  error,
  hint = 'Six digits from your authenticator app.',
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: unknown;
  hint?: string;
}) {
  const refused =
    error instanceof ApiError && ['INVALID_MFA_CODE', 'MFA_CODE_REUSED'].includes(error.code)
      ? error.code === 'MFA_CODE_REUSED'
        ? 'That code was already used. Wait for the next one.'
        : 'That code is not right. Please check it and try again.'
      : error instanceof ApiError
        ? error.fieldMessage('code')
        : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={refused ? true : undefined}
        aria-describedby={`${id}-hint${refused ? ` ${id}-error` : ''}`}
      />
      <span id={`${id}-hint`} className="hint">
        {hint}
      </span>
      {refused && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {refused}
        </span>
      )}
    </div>
  );
}

/** Whether CodeField shows this error itself (so the page need not repeat it). */
export function isCodeError(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (['INVALID_MFA_CODE', 'MFA_CODE_REUSED'].includes(error.code) ||
      error.fieldMessage('code') !== undefined)
  );
}
