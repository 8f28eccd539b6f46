import { randomBytes } from 'node:crypto';

/** The form of the configured keys: DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY. */

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export function decodeKey(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

/** "2026a:BASE64,2025b:BASE64" → entries; throws with a message naming the bad entry. */
export function parseEncryptionKeys(text: string): Array<{ id: string; key: Buffer }> {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('lists no key');
  const keys: Array<{ id: string; key: Buffer }> = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id))
      throw new Error(`entry ${index + 1} must be <id>:<key>, the id 1-16 letters, digits, - or _`);
    const key = decodeKey(entry.slice(colon + 1));
    if (!key) throw new Error(`the key "${id}" must be the base64 of 32 random bytes`);
    if (keys.some((k) => k.id === id)) throw new Error(`the key id "${id}" appears twice`);
    keys.push({ id, key });
  });
  return keys;
}

/** Problems of the configured key variables (never their values), for loadConfig. */
export function dataKeyProblems(encryptionKeys?: string, indexKey?: string): string[] {
  const problems: string[] = [];
  if (encryptionKeys !== undefined) {
    try {
      parseEncryptionKeys(encryptionKeys);
    } catch (error) {
      problems.push(`DATA_ENCRYPTION_KEYS: ${(error as Error).message}`);
    }
  }
  if (indexKey !== undefined && !decodeKey(indexKey))
    problems.push('DATA_INDEX_KEY: must be the base64 of 32 random bytes');
  if ((encryptionKeys === undefined) !== (indexKey === undefined))
    problems.push('DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY: set both or neither');
  return problems;
}

/** A fresh key in the configured form, e.g. for `openssl rand -base64 32`-less set-ups. */
export const newKeyText = (): string => randomBytes(32).toString('base64');
