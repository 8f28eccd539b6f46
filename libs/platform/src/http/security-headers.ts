import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

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

/** What every response gets unless its route names a policy of its own. */
const BASE_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  hsts: false,
};

/**
 * A route's own policy, read by the security headers: `config: { helmet: { contentSecurityPolicy:
 * … } }` in the route's options (helmet's options, merged over the store's).
 */
export interface RouteSecurityHeaders {
  helmet?: HelmetOptions;
}

type HeaderSet = Record<string, string>;

/**
 * The headers helmet sets for these options. helmet builds its middleware (and parses the policy)
 * from its options, so it is run once per policy, on a response that only records headers; every
 * request then gets the recorded set.
 */
export function helmetHeaders(options: HelmetOptions): HeaderSet {
  const headers: HeaderSet = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  // helmet throws on options it refuses; its callback only says it is done.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * Browser security headers on every response (helmet's): nosniff, no framing (X-Frame-Options
 * DENY and frame-ancestors 'none'), no Referer, a Content-Security-Policy that is strict for the
 * API and loose enough for Swagger UI under /docs (a route may name its own, e.g. the web app).
 * Strict-Transport-Security only on requests that came over TLS (`request.protocol`, which honours
 * X-Forwarded-Proto from a trusted proxy only): sent over plain HTTP it would be ignored at best,
 * and a plain-HTTP development host must not be pinned to HTTPS. Call before routes are
 * registered.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  const standard = helmetHeaders(BASE_OPTIONS);
  // One header set per route policy, made when the route is registered.
  const byPolicy = new WeakMap<HelmetOptions, HeaderSet>();
  fastify.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as RouteSecurityHeaders;
    const policy = isDocs(route.url)
      ? { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } }
      : config.helmet;
    if (!policy) return;
    route.config = Object.assign({}, route.config, { helmet: policy });
    byPolicy.set(
      policy,
      helmetHeaders(
        Object.assign<HelmetOptions, HelmetOptions, HelmetOptions>({}, BASE_OPTIONS, policy),
      ),
    );
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const policy = (request.routeOptions.config as RouteSecurityHeaders | undefined)?.helmet;
    void reply.headers((policy && byPolicy.get(policy)) ?? standard);
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
    done();
  });
}
