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

export type QueryValue = string | number | boolean | undefined;

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the access token (default). Sign-in calls and anonymous searches say false. */
  auth?: boolean;
  signal?: AbortSignal;
}

export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function send(path: string, options: CallOptions, token: string | undefined) {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(`${path}${queryString(options.query)}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string')
      return new ApiError({ ...body, statusCode: response.status } as ErrorBody);
  } catch {
    // not the store's JSON (a proxy's page): described below
  }
  return new ApiError({
    statusCode: response.status,
    error: response.statusText,
    code: `HTTP_${response.status}`,
    message: `The store answered ${response.status} ${response.statusText}`.trim(),
  });
}

/**
 * One call to the store's API: JSON in and out, the access token when signed in, and one retry
 * after renewing the token when it was refused as expired. Rejects with ApiError (the store's
 * error body) or NetworkError.
 */
export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const useToken = options.auth !== false;
  const token = useToken ? authSource?.accessToken() : undefined;
  let response = await send(path, options, token);
  if (response.status === 401 && token && authSource && (await authSource.renew())) {
    response = await send(path, options, authSource.accessToken());
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
