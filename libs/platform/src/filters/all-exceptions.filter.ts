import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable, throwError } from 'rxjs';
import { isStorageFault, storageUnavailable } from '../database/storage-fault';
import { ErrorBody, httpExceptionToBody, internalErrorBody } from '../errors/error-body';

/**
 * One filter for HTTP and RPC: both answer with the same ErrorBody. Over RPC the body travels
 * as the error payload (Nest's default filter would turn anything but an RpcException into
 * "Internal server error"), and the calling side turns it back into the same HttpException.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const body = this.toBody(exception);
    if (host.getType() === 'rpc') return throwError(() => body);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)
      ?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const body = httpExceptionToBody(exception);
      if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error(exception);
      return body;
    }
    // A Fastify error (malformed JSON, body too large, wrong content type) carries its status.
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = (exception as Error).message;
      return httpExceptionToBody(new HttpException(message, status));
    }
    // A read the storage could not serve (I/O error, corruption, database server gone): 503,
    // like a refused write, not a 500.
    if (isStorageFault(exception)) {
      this.logger.warn({ msg: 'storage failed a read', error: (exception as Error).message });
      return httpExceptionToBody(storageUnavailable());
    }
    this.logger.error(exception);
    return internalErrorBody();
  }
}
