import type { IncomingMessage } from 'node:http';
import { DynamicModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/app-config';
import { RequestContext, resolveRequestId } from '../context/request-context';
import { ProcessContext } from '../topology/process-context';
import { traceIdsForLog } from '../tracing/trace-context';
import { redactUrl } from './redact-url';

/**
 * JSON logs through pino. Every line carries the request id of the work it belongs to, read from
 * the request context, so HTTP and RPC lines of one request can be joined across processes.
 */
export function loggerModule(config: AppConfig, context: ProcessContext): DynamicModule {
  return LoggerModule.forRoot({
    // The access log is a Fastify onResponse hook (installAccessLog), not pino-http's middleware:
    // the middleware ran in front of every route (a child logger and an async context per
    // request). It is bound to one path no request takes; the logger stays the root logger.
    forRoutes: [{ path: '/.no-access-log-middleware', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: config.logLevel,
        base: { service: context.label, pid: process.pid },
        // The request id, and with tracing on the trace and span ids, so a line can be found
        // from its trace in Jaeger or Tempo and the other way round.
        mixin: () => {
          const requestId = RequestContext.requestId();
          return { ...(requestId && { requestId }), ...traceIdsForLog() };
        },
        genReqId: (req: IncomingMessage & { id?: unknown }) =>
          typeof req.id === 'string' ? req.id : resolveRequestId(req.headers['x-request-id']),
        // Credentials never reach a log line (nor do tokens a client put in a query string: see redactUrl).
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            'res.headers["set-cookie"]',
            '*.password',
            '*.refreshToken',
          ],
          censor: '[redacted]',
        },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({
            id: req.id,
            method: req.method,
            url: redactUrl(req.url),
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: false,
      },
      // Asynchronous writes: lines written while one write is in flight go out together, so an
      // access log line per request does not cost a blocking write(2) per request (measured: the
      // synchronous stream was a third of the CPU of a product read). Flushed on exit.
      pino.destination({ dest: 1, sync: false }),
    ],
  });
}
