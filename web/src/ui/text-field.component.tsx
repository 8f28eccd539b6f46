import type { InputHTMLAttributes, ReactNode } from 'react';

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-invalid' | 'aria-describedby'
>;

/**
 * A labelled, required text input with the store's refusal of it beside it, tied to the input so
 * that a screen reader reads the refusal with the field. `alert` announces the refusal as soon as
 * it shows; `describedBy` names what else describes the field (its rules, shown as `children`).
 */
export function TextField({
  id,
  label,
  value,
  onChange,
  problem,
  alert = false,
  describedBy,
  children,
  ...input
}: InputProps & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string;
  alert?: boolean;
  describedBy?: string;
  children?: ReactNode;
}) {
  const errorId = `${id}-error`;
  const described = [describedBy, problem ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        required
        {...input}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={described || undefined}
      />
      {children}
      {problem && (
        <span id={errorId} className="field-error" role={alert ? 'alert' : undefined}>
          {problem}
        </span>
      )}
    </div>
  );
}
