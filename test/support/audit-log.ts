import type { AuditEvent, AuditEventPage } from './api-types';
import type { Store } from './store';

/** The audit log as `token`'s holder reads it: the events matching `query`, newest first. */
export async function auditEvents(
  store: Store,
  token: string,
  query = '',
): Promise<AuditEventPage> {
  const res = await store.request<AuditEventPage>(
    'logging',
    'GET',
    `/api/logs${query ? `?${query}` : ''}`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.body;
}

/** The types of the events an account performed, newest first (at most 100). */
export const auditTypes = async (store: Store, token: string, username: string) =>
  (await auditEvents(store, token, `username=${username}&limit=100`)).items.map((e) => e.type);

/** Asserts that exactly one event matches `query` and that it looks like `expected`; returns it. */
export async function expectAuditEvent(
  store: Store,
  token: string,
  query: string,
  expected: Partial<Record<keyof AuditEvent, unknown>>,
): Promise<AuditEvent> {
  const { total, items } = await auditEvents(store, token, query);
  expect(total).toBe(1);
  expect(items[0]).toMatchObject(expected);
  return items[0];
}
