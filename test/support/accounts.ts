import { randomUUID } from 'node:crypto';
import { Store } from './store';

/** The demo accounts every fresh store seeds (see README). */
export const DEMO = {
  employee: { username: 'manager', password: 'FreshBasket-2026' },
  customer: { username: 'customer', password: 'HappyCart-2026' },
} as const;

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; username: string; role: string };
}

export async function login(store: Store, username: string, password: string): Promise<Session> {
  const res = await store.request<Session>('users', 'POST', '/api/auth/login', {
    body: { username, password },
  });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${res.text}`);
  return res.body;
}

/** A fresh customer with a unique name, signed up and logged in. */
export async function newCustomer(store: Store): Promise<Session & { password: string }> {
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
  return { ...(await login(store, `shopper_${suffix}`, password)), password };
}

/** Exactly what anyone may see of an account (never a password or its hash), sorted. */
export const PUBLIC_PROFILE_KEYS = [
  'createdAt',
  'email',
  'enabled',
  'firstName',
  'id',
  'lastName',
  'role',
  'updatedAt',
  'username',
];
