import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { RpcEnvelope } from '../rpc/envelope';
import { RequestContext, resolveRequestId } from './request-context';

/**
 * For every incoming message: restore the caller's request id (so log lines on both sides of a
 * TCP hop share it) and log the outcome, as pino-http does for HTTP requests.
 */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const envelope: Partial<RpcEnvelope> | undefined = context.switchToRpc().getData();
    const rpcContext: { getPattern?: () => string } = context.switchToRpc().getContext();
    const pattern = rpcContext.getPattern?.() ?? '?';
    const requestId = resolveRequestId(envelope?.meta?.requestId);
    const caller = envelope?.meta?.caller;
    return new Observable((subscriber) =>
      RequestContext.run({ requestId }, () => {
        const started = performance.now();
        const done = (outcome: string) =>
          this.logger.log({
            msg: `rpc ${pattern} ${outcome}`,
            pattern,
            caller,
            outcome,
            durationMs: Math.round(performance.now() - started),
          });
        return next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            done('error');
            subscriber.error(error);
          },
          complete: () => {
            done('ok');
            subscriber.complete();
          },
        });
      }),
    );
  }
}
