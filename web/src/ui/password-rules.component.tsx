import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblems,
} from '@mfm/contracts/password-rule';
import type { PasswordOwner } from '@mfm/contracts/password-rule';

/** The store's password rule, each part ticked off as it is met: the same check the store makes. */
const RULES: Array<{ label: string; problem: string }> = [
  {
    label: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    problem: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  },
  { label: 'a lowercase letter', problem: 'must contain a lowercase letter' },
  { label: 'an uppercase letter', problem: 'must contain an uppercase letter' },
  { label: 'a digit', problem: 'must contain a digit' },
  { label: 'not your first name', problem: 'must not contain your first name' },
  { label: 'not your last name', problem: 'must not contain your last name' },
  { label: 'not your username', problem: 'must not contain your username' },
];

export function passwordIsValid(password: string, owner: PasswordOwner): boolean {
  return passwordProblems(password, owner).length === 0;
}

export function PasswordRules({
  id,
  password,
  owner,
}: {
  id: string;
  password: string;
  /** Unknown on a reset link's page: the store checks the names then, when it is sent. */
  owner?: PasswordOwner;
}) {
  const problems = passwordProblems(password, owner ?? {});
  const tooLong = problems.includes(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  return (
    <ul id={id} className="password-rules" aria-label="Password rule">
      {(owner ? RULES : RULES.filter(({ problem }) => !problem.includes('your'))).map(
        ({ label, problem }, index) => {
          const met =
            password.length > 0 && !problems.includes(problem) && !(index === 0 && tooLong);
          return (
            <li key={label} className={met ? 'ok' : 'todo'}>
              <span aria-hidden="true">{met ? '✓' : '○'}</span> {label}
              <span className="visually-hidden">{met ? ' (met)' : ' (not met yet)'}</span>
            </li>
          );
        },
      )}
      {!owner && <li className="todo">not your names or your username</li>}
    </ul>
  );
}
