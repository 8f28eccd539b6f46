// The shapes of the store's public HTTP API, as its OpenAPI document (/docs/json) describes them.
// Only what the app reads is typed; a client generated from that document can replace this file
// and store-api.client.ts without touching the pages.

export type Role = 'customer' | 'employee';

export interface User {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** Absent when the store keeps it in the httpOnly cookie (how the web app signs in). */
  refreshToken?: string;
  refreshExpiresIn: number;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface Product {
  id: string;
  name: string;
  description: string | null;
  category: string;
  priceCents: number;
  stock: number;
  inStock: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SearchHit {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
  inStock: boolean;
  score: number;
  lastModifiedBy: string | null;
  lastModifiedAt: string | null;
}

export interface SearchResult extends Page<SearchHit> {
  facets: Array<{ category: string; count: number }>;
  metadataComplete: boolean;
}

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'name', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchParams {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  sort?: SearchSort;
  page?: number;
  limit?: number;
}

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderLine {
  productId: string;
  name: string;
  category: string;
  unitPriceCents: number;
  quantity: number;
  taxRateBps: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

export interface Order {
  id: string;
  userId: string;
  username: string;
  status: OrderStatus;
  lines: OrderLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  failure: { code: string; message: string; details?: unknown } | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  eventId: string;
  type: string;
  actor: { userId: string; username: string } | null;
  subject: { kind: string; id: string; name: string | null };
  occurredAt: string;
  requestId: string | null;
  payload: Record<string, unknown> | null;
}

export interface AuditQuery {
  type?: string;
  username?: string;
  productId?: string;
  productName?: string;
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
  page?: number;
  limit?: number;
}

/** The fields an employee edits; any subset goes in a PATCH. */
export interface ProductFields {
  name: string;
  category: string;
  priceCents: number;
  stock: number;
  description: string;
}

export interface NewAccount {
  firstName: string;
  lastName: string;
  username: string;
  email: string;
  password: string;
}

/** Every error the store sends has this shape. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: unknown;
}
