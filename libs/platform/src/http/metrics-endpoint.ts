import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/app-config';
import { PlatformErrors } from '../errors/error-codes';
import { Metrics } from '../metrics/metrics';
import { listen } from './listen';

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
  // With a port of its own, the HTTP port has no /metrics at all (startMetricsListener).
  if (config.metrics.port !== undefined) return;
  const token = config.metrics.token;
  fastify.get(METRICS_PATH, async (request, reply) => {
    if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
      const error = PlatformErrors.METRICS_TOKEN_REQUIRED.error();
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send(error.getResponse());
    }
    const text = await metrics.scrape();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}

/**
 * `METRICS_PORT`: `GET /metrics` alone on a port of its own (on BIND_HOST), for a scraper on a
 * network the public does not reach; the token, when set, is asked for there too. Closes with
 * the HTTP server.
 */
export async function startMetricsListener(
  metrics: Metrics,
  config: AppConfig,
  host: string,
): Promise<Server | undefined> {
  const { enabled, port, token } = config.metrics;
  if (!enabled || port === undefined) return undefined;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    const answer = (status: number, type: string, body: string, headers = {}) =>
      res.writeHead(status, { 'content-type': type, ...headers }).end(body);
    if (req.method !== 'GET' || path !== METRICS_PATH) {
      answer(
        404,
        'application/json; charset=utf-8',
        JSON.stringify(
          PlatformErrors.ROUTE_NOT_FOUND.error({ method: String(req.method), path }).getResponse(),
        ),
      );
      return;
    }
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      const error = PlatformErrors.METRICS_TOKEN_REQUIRED.error();
      answer(401, 'application/json; charset=utf-8', JSON.stringify(error.getResponse()), {
        'www-authenticate': 'Bearer realm="metrics"',
      });
      return;
    }
    metrics.scrape().then(
      (text) => answer(200, metrics.contentType, text),
      (error: unknown) => answer(500, 'text/plain; charset=utf-8', String(error)),
    );
  });
  return listen(server, port, host);
}

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const header = authorization ?? '';
  const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
