/**
 * What travels as the `data` of every message pattern. The request id is carried explicitly:
 * AsyncLocalStorage reaches in-process handlers but not the other end of a TCP socket.
 */
export interface RpcEnvelope<T = unknown> {
  meta: { requestId?: string; caller?: string };
  payload: T;
}
