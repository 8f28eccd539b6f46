import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Where Swagger UI and the OpenAPI document are served (see docs.ts). */
export const DOCS_PATH = '/docs';

type CspDirectives = Record<string, string[]>;

/**
 * The API answers JSON only: nothing it sends may run script, load anything, or be framed.
 */
export const API_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI loads its scripts and style sheet from /docs (same origin), has an inline `<style>`
 * block and sets style attributes from script, shows icons as data: URLs and calls the API
 * ("Try it out") on the same origin. Scripts stay limited to the origin's own files.
 */
export const DOCS_CSP: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** One year, subdomains included: what browsers' preload lists ask for. */
export const HSTS = 'max-age=31536000; includeSubDomains';

const isDocs = (url: string): boolean => url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`);

/**
 * Browser security headers on every response (helmet): nosniff, no framing (X-Frame-Options
 * DENY and frame-ancestors 'none'), no Referer, a Content-Security-Policy that is strict for the
 * API and loose enough for Swagger UI under /docs. Strict-Transport-Security only on requests
 * that came over TLS (`request.protocol`, which honours X-Forwarded-Proto from a trusted proxy
 * only): sent over plain HTTP it would be ignored at best, and a plain-HTTP development host
 * must not be pinned to HTTPS. Call before routes are registered.
 */
export async function installSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  // Swagger UI's routes get their own policy; helmet reads it from the route's config.
  fastify.addHook('onRoute', (route) => {
    if (!isDocs(route.url)) return;
    route.config = Object.assign({}, route.config, {
      helmet: { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } },
    });
  });
  await fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: false,
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
    done();
  });
}
