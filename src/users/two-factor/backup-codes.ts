import { randomInt } from 'node:crypto';

/** Unambiguous characters: no 0/o, 1/l/i. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const BACKUP_CODE_COUNT = 10;

/** A backup code as shown once to its owner: ten characters in two groups, "k7wq2-mx9tp". */
export function newBackupCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a typed backup code is compared as: lower case, without dashes or spaces. */
export const normalBackupCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

export const looksLikeBackupCode = (code: string): boolean =>
  /^[a-z0-9]{10}$/.test(normalBackupCode(code)) && !/^\d+$/.test(normalBackupCode(code));
