import { HttpException, NotFoundException } from '@nestjs/common';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants.js';
import { TimeoutError, firstValueFrom, of, delay, timeout } from 'rxjs';
import { httpExceptionToBody } from '../errors/error-body';
import { declareError } from '../errors/error-codes';
import { isPeerUnavailable, toCallerError } from './rpc-error.mapper';

const bodyOf = (error: HttpException) => httpExceptionToBody(error);

async function realTimeoutError(): Promise<unknown> {
  try {
    await firstValueFrom(of(1).pipe(delay(50), timeout({ first: 1 })));
  } catch (error) {
    return error;
  }
  throw new Error('no timeout');
}

const withCode = (code: string, message = `connect ${code} 127.0.0.1:4001`) =>
  Object.assign(new Error(message), { code });

describe('toCallerError', () => {
  it('passes an HttpException through unchanged', () => {
    const original = new NotFoundException('nope');
    expect(toCallerError(original, 'users', 1000)).toBe(original);
  });

  it.each([
    [401, 'INVALID_TOKEN', 'Unauthorized'],
    [403, 'FORBIDDEN', 'Forbidden'],
    [404, 'PRODUCT_NOT_FOUND', 'Not Found'],
    [409, 'USERNAME_TAKEN', 'Conflict'],
    [422, 'OUT_OF_STOCK', 'Unprocessable Entity'],
  ])(
    'turns a peer error body with status %i back into the same HttpException and body',
    (status, code, reason) => {
      const wire = {
        statusCode: status,
        error: reason,
        code,
        message: `failed with ${code}`,
        details: { id: 'p-1', left: 0 },
      };
      const error = toCallerError(JSON.parse(JSON.stringify(wire)), 'products', 1000);
      expect(error).toBeInstanceOf(HttpException);
      expect(error.getStatus()).toBe(status);
      expect(bodyOf(error)).toEqual(wire);
    },
  );

  it('gives a body the reason phrase of its status and a code when the peer left them out', () => {
    const error = toCallerError(
      { statusCode: 404, message: 'gone', error: 'whatever' },
      'products',
      1000,
    );
    expect(error.getStatus()).toBe(404);
    expect(bodyOf(error)).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      message: 'gone',
      code: expect.any(String),
    });
  });

  it('turns a deadline into 503 PEER_TIMEOUT naming the peer and the timeout', async () => {
    const raw = await realTimeoutError();
    expect(raw).toBeInstanceOf(TimeoutError);
    const error = toCallerError(raw, 'users', 1234);
    expect(error.getStatus()).toBe(503);
    expect(bodyOf(error)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'PEER_TIMEOUT',
      message: expect.stringContaining('1234 ms'),
      details: { peer: 'users' },
    });
    expect(bodyOf(error).message).toContain('users');
  });

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ENOTFOUND',
    'EHOSTUNREACH',
    // The bus's mutual TLS: a peer that cannot prove it is the module it should be.
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    'ERR_TLS_HANDSHAKE_TIMEOUT',
  ])('turns %s into 503 PEER_UNAVAILABLE', (code) => {
    const error = toCallerError(withCode(code), 'logging', 1000);
    expect(error.getStatus()).toBe(503);
    expect(bodyOf(error)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'PEER_UNAVAILABLE',
      message: 'The logging service is unavailable',
      details: { peer: 'logging' },
    });
  });

  it('turns a connection the peer closed mid-call into 503 PEER_UNAVAILABLE', () => {
    expect(bodyOf(toCallerError(new Error('Connection closed'), 'users', 1000)).code).toBe(
      'PEER_UNAVAILABLE',
    );
  });

  it('turns "no matching message handler" (a peer of another version) into its own 503 PEER_INCOMPATIBLE', () => {
    const error = toCallerError(NO_MESSAGE_HANDLER, 'orders', 1000);
    expect(error.getStatus()).toBe(503);
    expect(bodyOf(error)).toMatchObject({ code: 'PEER_INCOMPATIBLE', details: { peer: 'orders' } });
  });

  it('hides anything else behind 500 INTERNAL without its message', () => {
    for (const raw of [
      new Error('SQLITE_CORRUPT at /srv/data/users.sqlite'),
      { message: 'stack at x.js:1' },
      'boom',
      undefined,
      42,
    ]) {
      const error = toCallerError(raw, 'users', 1000);
      expect(error.getStatus()).toBe(500);
      expect(bodyOf(error)).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL',
        message: 'Internal server error',
      });
    }
  });

  it('keeps an AppError raised by the caller itself', () => {
    const own = declareError(422, 'OUT_OF_STOCK', 'Only 2 left').error({ available: 2 });
    expect(toCallerError(own, 'products', 1000)).toBe(own);
  });
});

describe('isPeerUnavailable', () => {
  it('is true for failures to reach a peer and false for answers', async () => {
    expect(isPeerUnavailable(withCode('ECONNREFUSED'))).toBe(true);
    expect(isPeerUnavailable(await realTimeoutError())).toBe(true);
    expect(isPeerUnavailable(new Error('This socket has been ended by the other party'))).toBe(
      true,
    );
    expect(isPeerUnavailable({ statusCode: 404, message: 'not found' })).toBe(false);
    expect(isPeerUnavailable(new Error('boom'))).toBe(false);
    expect(isPeerUnavailable(undefined)).toBe(false);
  });
});
