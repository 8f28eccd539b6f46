import type {
  AuditEvent,
  AuditQuery,
  NewAccount,
  Order,
  OrderStatus,
  Page,
  Product,
  ProductFields,
  Role,
  SearchParams,
  SearchResult,
  User,
} from './api.types';
import { call } from './http.client';

/** Every route of the store the app uses, typed. */
export const storeApi = {
  register(account: NewAccount): Promise<User> {
    return call('/api/auth/register', { method: 'POST', body: account, auth: false });
  },

  /**
   * The catalogue through the search index: filters, sorts, paging and category facets in one
   * answer. Sent without the access token: the audit log records what people did, and browsing
   * or typing a few letters is not a change worth a line in it.
   */
  search(params: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
    return call('/api/search', { query: { ...params }, auth: false, signal });
  },

  product(id: string): Promise<Product> {
    return call(`/api/products/${encodeURIComponent(id)}`, { auth: false });
  },

  products(query: {
    category?: string;
    inStock?: boolean;
    sort?: 'name' | 'price' | 'updatedAt';
    order?: 'asc' | 'desc';
    page?: number;
    limit?: number;
  }): Promise<Page<Product>> {
    return call('/api/products', { query, auth: false });
  },

  placeOrder(
    items: Array<{ productId: string; quantity: number }>,
    idempotencyKey: string,
  ): Promise<Order> {
    return call('/api/orders', {
      method: 'POST',
      body: { items },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  },

  orders(query: {
    page?: number;
    limit?: number;
    status?: OrderStatus;
    userId?: string;
  }): Promise<Page<Order>> {
    return call('/api/orders', { query });
  },

  order(id: string): Promise<Order> {
    return call(`/api/orders/${encodeURIComponent(id)}`);
  },

  cancelOrder(id: string): Promise<Order> {
    return call(`/api/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
  },

  // Back office (employees)

  createProduct(fields: ProductFields): Promise<Product> {
    return call('/api/products', { method: 'POST', body: fields });
  },

  /** Changes only the given fields, and only if the product is still at `version`. */
  updateProduct(id: string, changes: Partial<ProductFields>, version: number): Promise<Product> {
    return call(`/api/products/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: changes,
      headers: { 'If-Match': `"${version}"` },
    });
  },

  archiveProduct(id: string, version: number): Promise<void> {
    return call(`/api/products/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: { 'If-Match': `"${version}"` },
    });
  },

  users(query: {
    role?: Role;
    enabled?: boolean;
    page?: number;
    limit?: number;
  }): Promise<Page<User>> {
    return call('/api/users', { query });
  },

  user(id: string): Promise<User> {
    return call(`/api/users/${encodeURIComponent(id)}`);
  },

  createUser(account: NewAccount & { role: Role }): Promise<User> {
    return call('/api/users', { method: 'POST', body: account });
  },

  updateUser(
    id: string,
    changes: Partial<Pick<User, 'firstName' | 'lastName' | 'email' | 'role' | 'enabled'>>,
  ): Promise<User> {
    return call(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes });
  },

  auditLog(query: AuditQuery): Promise<Page<AuditEvent>> {
    return call('/api/logs', { query: { ...query } });
  },

  reindex(): Promise<{ indexed: number }> {
    return call('/api/search/reindex', { method: 'POST' });
  },
};
