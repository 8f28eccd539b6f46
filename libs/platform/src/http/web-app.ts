import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths the API, its documents and its probes own. The web app never answers under them, so an
 * unknown API path keeps its JSON 404 instead of becoming the storefront's HTML.
 */
export const API_PATH_PREFIXES = ['/api', '/docs', '/health', '/ready', '/.well-known'] as const;

/**
 * The storefront's Content-Security-Policy: its scripts, styles and images come from this
 * origin only (the build emits no inline script), and it talks to this origin's API only.
 */
export const WEB_APP_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Files the build names by their content hash: they never change, so browsers keep them. */
const HASHED_ASSETS = '/assets/';
const PRECOMPRESSED = /\.(?:br|gz)$/;
const INDEX = '/index.html';

export function isApiPath(path: string): boolean {
  return API_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** URL paths of the built files ("/index.html", "/assets/index-1a2b.js"), compressed twins aside. */
export function webAppFiles(root: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!PRECOMPRESSED.test(entry.name))
        files.add(`/${relative(root, path).split(sep).join('/')}`);
    }
  };
  walk(root);
  return files;
}

/**
 * Serves the built web app (`dist/web`) at `/` with the single-page fallback: a built file is sent
 * as it is (its pre-compressed twin when the browser takes it), any other GET outside the API's
 * paths gets index.html so the app's router can show it, and everything else keeps the store's
 * own JSON 404. Only the files present at start are served, so no path can reach outside the
 * folder. Returns false when the app has not been built (the API still works).
 */
export async function installWebApp(fastify: FastifyInstance, root: string): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) return false;
  const files = webAppFiles(root);
  // The API's own paths never reach the app's route below, so an unknown one gets the JSON 404
  // with the API's headers (its strict CSP included), exactly as without the app. /docs/* is
  // Swagger UI's already; /health and /ready themselves are routes, /api and /.well-known not.
  const apiOnly = [
    ...API_PATH_PREFIXES.filter((p) => p !== '/docs').map((prefix) => `${prefix}/*`),
    '/api',
    '/.well-known',
  ];
  for (const url of apiOnly) {
    fastify.route({
      method: ['GET', 'HEAD'],
      url,
      handler: (_request, reply) => {
        reply.callNotFound();
      },
    });
  }
  await fastify.register(async (scope) => {
    await scope.register(fastifyStatic, { root, serve: false, preCompressed: true });
    scope.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      // helmet (the browser edge) reads it: the app's own policy instead of the API's.
      config: {
        helmet: { contentSecurityPolicy: { useDefaults: false, directives: WEB_APP_CSP } },
      },
      handler: (request, reply) => {
        serve(request, reply, files);
      },
    });
  });
  return true;
}

function serve(request: FastifyRequest, reply: FastifyReply, files: Set<string>): void {
  let path: string;
  try {
    path = decodeURIComponent(request.url.split('?')[0]);
  } catch {
    reply.callNotFound();
    return;
  }
  if (isApiPath(path)) {
    reply.callNotFound();
  } else if (files.has(path) && path !== INDEX) {
    if (path.startsWith(HASHED_ASSETS))
      void reply.sendFile(path.slice(1), { maxAge: '365d', immutable: true });
    else void reply.sendFile(path.slice(1), { maxAge: '1h' });
  } else if (path !== INDEX && /\.[A-Za-z0-9]+$/.test(path)) {
    // A missing file (a name with an extension) is a 404, not the app.
    reply.callNotFound();
  } else {
    // The app itself: always revalidated, so a new build is picked up on the next visit.
    void reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  }
}
