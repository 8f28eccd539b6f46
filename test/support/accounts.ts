import { randomUUID } from 'node:crypto';
import type { Schema, Session } from './api-types';
import { MailFolder, ReceivedMail, tokenIn } from './mail';
import { Store } from './store';

/** Where a store's mail can be read: its .eml folder by default, or a test's SMTP server. */
export interface MailSource {
  waitFor(address: string, subject: RegExp): Promise<ReceivedMail>;
}

/** Opens the verification mail of an address and proves it, as its owner would. */
export async function verifyEmail(
  store: Store,
  email: string,
  mail: MailSource = new MailFolder(store),
): Promise<void> {
  const message = await mail.waitFor(email, /Confirm your email address/);
  const res = await store.request('users', 'POST', '/api/auth/verify-email', {
    body: { token: tokenIn(message) },
  });
  if (res.status !== 204) throw new Error(`verify-email → ${res.status} ${res.text}`);
}

/** The demo accounts every fresh store seeds (see the README's demo store). */
export const DEMO = {
  employee: { username: 'manager', password: 'FreshBasket-2026' },
  customer: { username: 'customer', password: 'HappyCart-2026' },
} as const;

export async function login(store: Store, username: string, password: string): Promise<Session> {
  const res = await store.request<Session>('users', 'POST', '/api/auth/login', {
    body: { username, password },
  });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${res.text}`);
  return res.body;
}

/**
 * A fresh customer with a unique name, signed up, its address verified (from the mail) unless
 * `verified: false`, and logged in.
 */
export async function newCustomer(
  store: Store,
  { verified = true, mail }: { verified?: boolean; mail?: MailSource } = {},
): Promise<Session & { password: string; email: string }> {
  const suffix = randomUUID().slice(0, 8);
  const password = 'Groceries-4-All';
  const res = await store.request('users', 'POST', '/api/auth/register', {
    body: {
      firstName: 'Test',
      lastName: 'Shopper',
      username: `shopper_${suffix}`,
      email: `shopper_${suffix}@example.com`,
      password,
    },
  });
  if (res.status !== 201) throw new Error(`register → ${res.status} ${res.text}`);
  const email = `shopper_${suffix}@example.com`;
  if (verified) await verifyEmail(store, email, mail);
  return { ...(await login(store, `shopper_${suffix}`, password)), password, email };
}

/** Exactly what anyone may see of an account (never a password or its hash), sorted. */
export const PUBLIC_PROFILE_KEYS = [
  'createdAt',
  'email',
  'emailVerified',
  'enabled',
  'firstName',
  'id',
  'lastName',
  'role',
  'updatedAt',
  'username',
];

/**
 * Re-authenticates the session of `token` with the password (and a code when two-factor sign-in
 * is on): an access token of the same session that may change factors and the address.
 */
export async function stepUp(
  store: Store,
  token: string,
  password: string,
  code?: string,
  from?: string,
): Promise<string> {
  const res = await store.request<Schema<'StepUpResponse'>>(
    'users',
    'POST',
    '/api/users/me/reauthenticate',
    { body: { password, ...(code !== undefined && { code }) }, token, from },
  );
  if (res.status !== 200) throw new Error(`reauthenticate → ${res.status} ${res.text}`);
  return res.body.accessToken;
}
