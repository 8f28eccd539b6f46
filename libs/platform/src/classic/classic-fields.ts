import { HttpException } from '@nestjs/common';
import type { TokenVerifier } from '../auth/token-verifier';
import type { VerifiedUser } from '../auth/verified-user';

/**
 * The caller of a classic request, as the users database knows them now; null when the token is
 * missing or invalid (the classic "bad token" status). Other failures (users down) propagate.
 */
export async function classicCaller(
  users: Pick<TokenVerifier, 'verifyClassicToken'>,
  token: string | undefined,
): Promise<VerifiedUser | null> {
  if (!token) return null;
  try {
    return await users.verifyClassicToken({ token });
  } catch (error) {
    if (error instanceof HttpException && error.getStatus() === 401) return null;
    throw error;
  }
}

/** Decimal text ("3.99", "4", "0.5") to integer cents; null when it is not a plain price. */
export function classicPriceToCents(text: string | undefined): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text ?? '');
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Integer cents to the classic "18.00" text. */
export function centsToClassicText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A classic category as the catalogue's lowercase slug: "Fresh Fruit" → "fresh-fruit". Products
 * created and searched through the classic API use the same mapping, so they find each other.
 */
export function classicCategory(text: string | undefined): string {
  return (text ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
