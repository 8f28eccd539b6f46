import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { RequestContext } from '../context/request-context';

/**
 * One line per answered request ("request completed", or "request errored" for a 5xx), written
 * from Fastify's onResponse hook with the root logger. The same line pino-http's middleware wrote
 * (request id, method, URL with credentials redacted, status, response time), without a middleware layer and a
 * child logger per request in front of every route. /health is not logged.
 */
export function installAccessLog(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const url = request.raw.url ?? request.url;
    if (url !== '/health') {
      const statusCode = reply.statusCode;
      PinoLogger.root.info(
        {
          // The mixin adds it from the request context when the hook runs inside it.
          ...(RequestContext.requestId() === undefined && { requestId: request.id }),
          // The raw request and response, as pino-http logged them: the logger's serializers
          // keep the id, method, redacted URL and status.
          req: request.raw,
          res: reply.raw,
          responseTime: Math.round(reply.elapsedTime),
        },
        statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
