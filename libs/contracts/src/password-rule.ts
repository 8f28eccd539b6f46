export interface PasswordOwner {
  firstName?: string;
  lastName?: string;
  username?: string;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** Names shorter than this are not searched for (a first name "Al" would forbid "always"). */
export const MIN_NAME_LENGTH_CHECKED = 3;

/**
 * The password rule of sign-up, employee-created accounts and the classic API, and the checklist
 * the web app shows while a password is typed. Returns every rule the password breaks, so the
 * client can show them all at once. Plain TypeScript without imports: the browser bundle uses it.
 */
export function passwordProblems(password: string, owner: PasswordOwner): string[] {
  const problems: string[] = [];
  // Characters, not UTF-16 units: "🥕" is one character of a passphrase, not two.
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH)
    problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH)
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (!/\p{Ll}/u.test(password)) problems.push('must contain a lowercase letter');
  if (!/\p{Lu}/u.test(password)) problems.push('must contain an uppercase letter');
  if (!/\p{Nd}/u.test(password)) problems.push('must contain a digit');
  // toLowerCase, not toLocaleLowerCase: the rule must not depend on the server's locale.
  const lower = password.toLowerCase();
  for (const [label, value] of [
    ['first name', owner.firstName],
    ['last name', owner.lastName],
    ['username', owner.username],
  ] as const) {
    const part = value?.trim().toLowerCase();
    if (part && Array.from(part).length >= MIN_NAME_LENGTH_CHECKED && lower.includes(part))
      problems.push(`must not contain your ${label}`);
  }
  return problems;
}
