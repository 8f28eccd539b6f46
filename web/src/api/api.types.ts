// The store's API types, from the typed client generated from its OpenAPI document
// (libs/client, `npm run client:generate`). Where the document only says "an object", the
// shape the store sends is spelled out here.
import type { Schema, operations } from '@mfm/client';
import { SEARCH_SORTS as STORE_SEARCH_SORTS } from '@mfm/contracts/search-sorts';

export type User = Schema<'UserResponse'>;
export type Role = User['role'];
export type TokenPair = Schema<'TokenPairResponse'>;
export type Product = Schema<'ProductResponse'>;
export type SearchHit = Schema<'SearchHit'>;
export type SearchResult = Schema<'SearchResponse'>;
export type OrderLine = Schema<'OrderLineResponse'>;
export type OrderStatus = Schema<'OrderResponse'>['status'];
export type NewAccount = Schema<'RegisterDto'>;
export type MfaChallenge = Schema<'MfaChallengeResponse'>;
export type MfaMethod = MfaChallenge['methods'][number];
export type MfaStatus = Schema<'MfaStatusResponse'>;
export type TotpEnrolment = Schema<'TotpEnrolmentResponse'>;
export type BackupCodes = Schema<'BackupCodesResponse'>;
export type Passkey = Schema<'PasskeyResponse'>;
export type PasskeyOptions = Schema<'PasskeyOptionsResponse'>;
export type Review = Schema<'ReviewResponse'>;
export type ReviewPage = Schema<'ReviewPageResponse'>;
export type Feedback = Schema<'FeedbackDto'>;
export type FeedbackTopic = NonNullable<Feedback['topic']>;
export type StoredBackup = Schema<'StoredBackupResponse'>;
export type BackupJob = Schema<'BackupJobResponse'>;
export type BackupList = Schema<'BackupListResponse'>;
export type SynonymGroup = Schema<'SynonymGroupResponse'>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
  /** Lists that page by key: send it back with the next page number. */
  nextCursor?: string | null;
}

export type SearchParams = NonNullable<operations['searchProducts']['parameters']['query']>;
export type SearchSort = NonNullable<SearchParams['sort']>;
/** The server's sorts; `satisfies`: each one is a sort the API document allows. */
export const SEARCH_SORTS = STORE_SEARCH_SORTS satisfies readonly SearchSort[];

export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'FAILED',
  'CANCELLED',
] as const satisfies readonly OrderStatus[];

export type Order = Omit<Schema<'OrderResponse'>, 'failure'> & {
  /** Why a FAILED order failed. */
  failure?: { code: string; message: string; details?: unknown } | null;
};

export type AuditEvent = Omit<Schema<'AuditEventResponse'>, 'actor' | 'subject'> & {
  actor?: { userId: string; username: string } | null;
  subject: { kind: string; id: string; name: string | null };
};

export type AuditQuery = NonNullable<operations['listAuditEvents']['parameters']['query']>;

/** The fields an employee edits; any subset goes in a PATCH. */
export interface ProductFields {
  name: string;
  category: string;
  priceCents: number;
  stock: number;
  description: string;
}

/** Every error the store sends has this shape; `details` depends on the code. */
export type ErrorBody = Omit<Schema<'ErrorBodyDto'>, 'details'> & { details?: unknown };
