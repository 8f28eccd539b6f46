import { createStoreClient, type StoreClient } from '@mfm/client';
import { ApiError, NetworkError } from './api-error';
import type { ErrorBody } from './api.types';

/** Where the access token comes from, and how to get a new one when it has expired. */
export interface AuthSource {
  accessToken(): string | undefined;
  /** Resolves true when a fresh access token is available. */
  renew(): Promise<boolean>;
}

let authSource: AuthSource | undefined;

export function setAuthSource(source: AuthSource): void {
  authSource = source;
}

async function transmit(request: Request, token: string | undefined): Promise<Response> {
  if (token) request.headers.set('authorization', `Bearer ${token}`);
  try {
    return await fetch(request);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
}

/** With the access token; a token refused as expired is renewed once and the request sent again. */
async function sendSignedIn(request: Request): Promise<Response> {
  const again = request.clone();
  const token = authSource?.accessToken();
  const response = await transmit(request, token);
  if (
    response.status === 401 &&
    token &&
    authSource &&
    !(await refusesWhatWasSent(response)) &&
    (await authSource.renew())
  )
    return transmit(again, authSource.accessToken());
  return response;
}

/**
 * A 401 that names a field of the request (a wrong password, a wrong code) is about what was
 * sent, not about the token: sending it again would count the same wrong guess twice.
 */
async function refusesWhatWasSent(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { details?: { field?: unknown } };
    return typeof body.details?.field === 'string';
  } catch {
    return false;
  }
}

/**
 * The store's typed client (generated from its OpenAPI document) on this page's origin: paths,
 * parameters, bodies and answers are checked at compile time. `signedIn` sends the access token;
 * `anonymous` does not (sign-in itself, browsing and search-as-you-type).
 */
export const signedIn: StoreClient = createStoreClient('', {
  fetch: (input, init) => sendSignedIn(asRequest(input, init)),
});
export const anonymous: StoreClient = createStoreClient('', {
  fetch: (input, init) => transmit(asRequest(input, init), undefined),
});

function asRequest(input: RequestInfo | URL, init?: RequestInit): Request {
  return input instanceof Request && init === undefined ? input : new Request(input, init);
}

/** What a call of the typed client resolves to. */
interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or the store's refusal as an ApiError (NetworkError: no answer at all). */
export async function answer<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = error as Partial<ErrorBody> | undefined;
  if (body && typeof body.code === 'string' && typeof body.message === 'string')
    return Promise.reject(new ApiError({ ...body, statusCode: response.status } as ErrorBody));
  return Promise.reject(
    new ApiError({
      statusCode: response.status,
      error: response.statusText,
      code: `HTTP_${response.status}`,
      message: `The store answered ${response.status} ${response.statusText}`.trim(),
    }),
  );
}
