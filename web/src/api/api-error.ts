import type { ErrorBody } from './api.types';

/** A refused request, carrying the store's error body: status, code, message and details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = body.statusCode;
    this.code = body.code;
    this.details = body.details;
  }

  /** The store could not reach one of its own services, or timed out waiting: worth a retry. */
  get isUnavailable(): boolean {
    return this.status === 503 || this.status === 504;
  }

  /** The message for one field, when the store named it (VALIDATION_FAILED and friends). */
  fieldMessage(field: string): string | undefined {
    const details = this.details as
      { field?: string; fields?: Array<{ field: string; messages: string[] }> } | undefined;
    if (details?.field === field) return this.message;
    return details?.fields?.find((f) => f.field === field)?.messages.join('; ');
  }
}

/** The store did not answer at all (offline, connection reset). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The store could not be reached. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

/** A sentence a person can act on, for any error a request may end with. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'PEER_UNAVAILABLE' || error.code === 'PEER_TIMEOUT')
      return 'Part of the store is not answering right now. Nothing was changed; please try again in a moment.';
    if (error.status === 429) return 'Too many attempts. Please wait a little and try again.';
    return error.message;
  }
  if (error instanceof NetworkError) return error.message;
  return 'Something went wrong. Please try again.';
}
