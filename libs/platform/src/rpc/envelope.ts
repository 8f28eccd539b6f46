/**
 * What travels as the `data` of every message pattern. The request id and the W3C trace context
 * (`traceparent`, `tracestate`) are carried explicitly: AsyncLocalStorage reaches in-process
 * handlers but not the other end of a TCP socket, so both transports carry them the same way.
 */
export interface RpcEnvelope<T = unknown> {
  meta: { requestId?: string; caller?: string; traceparent?: string; tracestate?: string };
  payload: T;
}
