import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContextData {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/** Carries the request id from the HTTP edge (or an incoming RPC envelope) to outgoing calls. */
export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a sane incoming X-Request-Id; anything else (absent, too long, odd characters) gets a new one. */
export function resolveRequestId(incoming: unknown): string {
  const value: unknown = Array.isArray(incoming) ? (incoming as unknown[])[0] : incoming;
  return typeof value === 'string' && VALID_ID.test(value) ? value : randomUUID();
}
