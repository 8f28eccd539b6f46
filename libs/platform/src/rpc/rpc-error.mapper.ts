import { HttpException } from '@nestjs/common';
import { TimeoutError } from 'rxjs';
import { isErrorBody, reasonPhrase } from '../errors/error-body';
import { PlatformErrors } from '../errors/error-codes';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/**
 * The bus's mutual TLS failing (a certificate of another CA, issued to another module, expired,
 * or the handshake cut off): the peer cannot be reached as itself, whatever it runs.
 */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_)/;

/** Is this a failure to reach the peer at all (as opposed to an answer that says no)? */
export function isPeerUnavailable(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  const e = error as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && (CONNECTION_CODES.has(e.code) || TLS_CODE.test(e.code)))
    return true;
  return (
    typeof e?.message === 'string' && /Connection closed|socket has been ended/i.test(e.message)
  );
}

/**
 * Turns whatever came back from a peer into the HttpException the caller should throw, so a
 * 404 raised in users reaches the HTTP client of products as the same 404 with the same body.
 */
export function toCallerError(error: unknown, peer: string, timeoutMs: number): HttpException {
  if (error instanceof HttpException) return error;
  if (isErrorBody(error)) {
    const body = {
      ...error,
      error: reasonPhrase(error.statusCode),
      code: error.code ?? 'HTTP_' + error.statusCode,
    };
    return new HttpException(body, error.statusCode);
  }
  if (error instanceof TimeoutError) {
    return PlatformErrors.PEER_TIMEOUT.error({ peer, timeoutMs }, { peer });
  }
  if (isPeerUnavailable(error)) {
    return PlatformErrors.PEER_UNAVAILABLE.error({ peer }, { peer });
  }
  if (isNoMatchingHandler(error)) {
    // The peer runs but does not know the pattern: the modules run different versions. Its own
    // code, never retried and never counted against the peer's circuit: repeating cannot help.
    return PlatformErrors.PEER_INCOMPATIBLE.error({ peer }, { peer });
  }
  return PlatformErrors.INTERNAL.error();
}

/** Nest's answer for a pattern no handler of the peer listens to (the same over TCP and in-process). */
export function isNoMatchingHandler(error: unknown): boolean {
  const message =
    typeof error === 'string' ? error : (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /no matching message handler/i.test(message);
}

/** The error code a failed call ends with, for raw transport errors as for mapped ones. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof HttpException) return (error.getResponse() as { code?: string }).code;
  if (isErrorBody(error)) return error.code;
  if (error instanceof TimeoutError) return 'PEER_TIMEOUT';
  if (isPeerUnavailable(error)) return 'PEER_UNAVAILABLE';
  if (isNoMatchingHandler(error)) return 'PEER_INCOMPATIBLE';
  return undefined;
}
