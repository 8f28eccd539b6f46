import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Request headers a browser client of this API sends (beyond the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'Idempotency-Key',
  'X-CSRF',
  'X-Request-Id',
];

/** Response headers a browser client may read (beyond the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS = [
  'Retry-After',
  'X-Request-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/**
 * Cross-origin calls from the listed origins only (CORS_ORIGINS; none listed: CORS stays off and
 * browsers keep their same-origin rule). An allowed origin is echoed back exactly, with
 * credentials (the refresh cookie); any other origin, or a request without one, gets no CORS
 * header at all, and its preflight finds no route (404).
 */
export async function installCors(
  fastify: FastifyInstance,
  origins: readonly string[],
): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await fastify.register(cors, {
    // A function rather than the list: with a list, @fastify/cors would still send
    // Access-Control-Allow-Credentials to origins it does not allow.
    origin: (origin, callback) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
}
