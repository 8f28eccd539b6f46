import type { FastifyInstance } from 'fastify';

/** The largest body any route takes: an order of hundreds of lines fits several times over. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Routes that take only a few small fields get a smaller limit (first matching prefix wins). */
const ROUTE_BODY_LIMITS: ReadonlyArray<readonly [prefix: string, bytes: number]> = [
  ['/api/auth/', 8 * 1024],
];

export function bodyLimitFor(url: string): number {
  return ROUTE_BODY_LIMITS.find(([prefix]) => url.startsWith(prefix))?.[1] ?? DEFAULT_BODY_LIMIT;
}

/** Sets each route's body limit as Nest registers it (call before the app is initialised). */
export function installBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit ??= bodyLimitFor(route.url);
  });
}
