import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/error-body';
import { Metrics } from './metrics';

/** Path of the Prometheus endpoint on every process's HTTP port. */
export const METRICS_PATH = '/metrics';

/**
 * Counts and times every HTTP answer by route template (`/api/products/:id`, never the raw URL,
 * so the number of series stays bounded), method and status, and serves `GET /metrics` in
 * Prometheus' text format. The endpoint is a plain Fastify route: no guard, interceptor or audit
 * event runs for a scrape. With `METRICS_TOKEN` set it answers only `Authorization: Bearer
 * <token>`; with `METRICS_ENABLED=false` it does not exist (404) and nothing is counted.
 */
export function installMetrics(
  fastify: FastifyInstance,
  metrics: Metrics,
  config: AppConfig,
): void {
  if (!config.metrics.enabled) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  const token = config.metrics.token;
  fastify.get(METRICS_PATH, async (request, reply) => {
    if (token !== undefined && !bearerMatches(request, token)) {
      const error = new AppError(401, 'UNAUTHENTICATED', 'This endpoint needs the metrics token');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send(error.getResponse());
    }
    const text = await metrics.scrape();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
