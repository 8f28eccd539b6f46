import { HttpException } from '@nestjs/common';
import { TimeoutError } from 'rxjs';
import { AppError, isErrorBody, reasonPhrase } from '../errors/error-body';

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
    return new AppError(
      503,
      'PEER_TIMEOUT',
      `The ${peer} service did not answer within ${timeoutMs} ms`,
      { peer },
    );
  }
  if (isPeerUnavailable(error)) {
    return new AppError(503, 'PEER_UNAVAILABLE', `The ${peer} service is unavailable`, { peer });
  }
  if (typeof error === 'string' && /no matching message handler/i.test(error)) {
    // The peer runs but does not know the pattern: a version mismatch between deployments.
    return new AppError(503, 'PEER_UNAVAILABLE', `The ${peer} service cannot handle this request`, {
      peer,
    });
  }
  return new AppError(500, 'INTERNAL', 'Internal server error');
}
