import { createHash, timingSafeEqual } from 'node:crypto';

/** How a secret handed out once (a mailed token, a sign-in challenge, a mailed code) is stored. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Compares two stored hashes in constant time, so a guess learns nothing from the timing. */
export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
