import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { PlatformErrors } from '../errors/error-codes';
import { Metrics } from '../metrics/metrics';
import { RpcEnvelope } from './envelope';
import { ShutdownState } from '../shutdown/shutdown-state';
import { SpanKind, contextFrom, context, endSpan, trace, tracer } from '../tracing/trace-context';
import { RequestContext, resolveRequestId } from '../context/request-context';

/**
 * For every incoming message (bound by @RpcHandler): restore the caller's request id and trace context (so log lines
 * and spans on both sides of a TCP hop join up), time the handler for /metrics, count it as in
 * flight for a graceful shutdown, and log the outcome, as pino-http does for HTTP requests.
 */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  constructor(
    private readonly metrics: Metrics,
    private readonly shutdown: ShutdownState,
  ) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const envelope: Partial<RpcEnvelope> | undefined = execution.switchToRpc().getData();
    const rpcContext: { getPattern?: () => string } = execution.switchToRpc().getContext();
    const pattern = rpcContext.getPattern?.() ?? '?';
    const requestId = resolveRequestId(envelope?.meta?.requestId);
    const caller = envelope?.meta?.caller;
    if (this.shutdown.refusingCalls) {
      // The last phase of a graceful shutdown: the caller retries elsewhere or answers 503.
      return throwError(() => PlatformErrors.RPC_SHUTTING_DOWN.error());
    }
    const span = tracer.startSpan(
      pattern,
      {
        kind: SpanKind.SERVER,
        attributes: { 'rpc.system': 'mfm-bus', 'rpc.method': pattern, 'mfm.caller': caller },
      },
      contextFrom(envelope?.meta),
    );
    const traced = trace.setSpan(context.active(), span);
    return new Observable((subscriber) =>
      context.with(traced, () =>
        RequestContext.run({ requestId }, () => {
          const started = performance.now();
          const finished = this.shutdown.track();
          const done = (outcome: 'ok' | 'error', error?: unknown) => {
            finished();
            const durationMs = performance.now() - started;
            this.metrics.rpcServerDuration.observe({ pattern, outcome }, durationMs / 1000);
            endSpan(span, error);
            this.logger.log({
              msg: `rpc ${pattern} ${outcome}`,
              pattern,
              caller,
              outcome,
              durationMs: Math.round(durationMs),
            });
          };
          return next.handle().subscribe({
            next: (value) => subscriber.next(value),
            error: (error: unknown) => {
              done('error', error);
              subscriber.error(error);
            },
            complete: () => {
              done('ok');
              subscriber.complete();
            },
          });
        }),
      ),
    );
  }
}
