import { randomUUID } from 'node:crypto';
import type { AuditEventPage, Product } from './api-types';
import type { Store } from './store';

/** Anything that sends the store's HTTP requests: a store this suite started, or one it reaches. */
type Requests = Pick<Store, 'request'>;

/** A new product in the pantry at 2.50, as an employee creates it; returns its id. */
export async function createProduct(
  store: Requests,
  employeeToken: string,
  stock: number,
  name = `Test product ${randomUUID()}`,
): Promise<string> {
  const res = await store.request<Product>('products', 'POST', '/api/products', {
    token: employeeToken,
    body: { name, category: 'pantry', priceCents: 250, stock },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** A product's stock as the public catalogue shows it. */
export async function stockOf(store: Requests, id: string): Promise<number> {
  return (await store.request<Product>('products', 'GET', `/api/products/${id}`)).body.stock;
}

/** The audit log's events of one type, as an employee reads them. */
export async function auditEventsOfType(
  store: Requests,
  employeeToken: string,
  type: string,
): Promise<AuditEventPage['items']> {
  const res = await store.request<AuditEventPage>('logging', 'GET', `/api/logs?type=${type}`, {
    token: employeeToken,
  });
  expect(res.status).toBe(200);
  return res.body.items;
}
