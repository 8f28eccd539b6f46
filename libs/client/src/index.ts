import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './api-schema';

export type { components, operations, paths };

/** A typed client of the store's HTTP API, generated from its OpenAPI document (openapi.json). */
export type StoreClient = Client<paths>;

/** A schema of the API document by name, e.g. `Schema<'ProductResponse'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export interface StoreClientOptions {
  /** Sent as `Authorization: Bearer <token>` on every request. */
  token?: string;
  /** Another fetch (tests, retries, a browser's). */
  fetch?: typeof fetch;
}

/**
 * `createStoreClient('http://localhost:3000').GET('/api/products', { params: { query: { category: 'dairy' } } })`:
 * paths, parameters, bodies and answers are checked against the document at compile time.
 */
export function createStoreClient(baseUrl: string, options: StoreClientOptions = {}): StoreClient {
  const client = createClient<paths>({ baseUrl, fetch: options.fetch });
  if (options.token) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${options.token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}
