import type { Schema } from '@mfm/client';
import type { FieldError } from '@mfm/platform/errors/error-codes';

/**
 * The bodies the store answers, as the suites read them: the typed client's schemas (generated
 * from openapi.json), so a change of the API's contract breaks a suite when it compiles. Where
 * the document leaves an object open (`details`, an order's failure, an audit event's actor and
 * subject), the shape the store sends is spelled out here, and only there.
 */
export type { Schema };

/** An error, as every module answers one. */
export type ErrorBody<Details = Record<string, unknown>> = Omit<
  Schema<'ErrorBodyDto'>,
  'details'
> & { details?: Details };

/** A 400 for bad input: every field at fault, by name. */
export type ValidationErrorBody = ErrorBody<{ fields: FieldError[] }>;

export type Product = Schema<'ProductResponse'>;
export type ProductPage = Schema<'ProductPageResponse'>;

/** An order; a FAILED one says why, as an error would. */
export type Order = Omit<Schema<'OrderResponse'>, 'failure'> & { failure?: ErrorBody | null };

/** A page of orders. */
export type OrderPage = Omit<Schema<'OrderPageResponse'>, 'items'> & { items: Order[] };

/** An audit event as GET /api/logs answers it. */
export type AuditEvent = Omit<Schema<'AuditEventResponse'>, 'actor' | 'subject' | 'payload'> & {
  actor: { userId: string; username: string } | null;
  subject: { kind: string; id: string; name?: string };
  payload: Record<string, unknown>;
};

/** A page of the audit log. */
export type AuditEventPage = Omit<Schema<'AuditEventPageResponse'>, 'items'> & {
  items: AuditEvent[];
};

/** A sign-in: tokens and the account (the refresh token in the body, as tests ask for it). */
export type Session = Schema<'TokenPairResponse'> & { refreshToken: string };

/** The fields of `T` as absent: what one branch of an either-or answer reads of the other's. */
type Absent<T> = { [K in keyof T]?: undefined };

/**
 * What POST /api/auth/login answers: tokens, or (the account has a second factor) a challenge to
 * complete at /api/auth/login/mfa. Each one's own fields read as undefined on the other.
 */
export type LoginAnswer =
  | (Schema<'TokenPairResponse'> &
      Absent<Omit<Schema<'MfaChallengeResponse'>, keyof Schema<'TokenPairResponse'>>>)
  | (Schema<'MfaChallengeResponse'> &
      Absent<Omit<Schema<'TokenPairResponse'>, keyof Schema<'MfaChallengeResponse'>>>);
