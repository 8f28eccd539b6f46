import type { FastifyRequest } from 'fastify';

/** The caller's own access token, as sent (the guard has already checked it). */
export const bearerToken = (request: FastifyRequest): string =>
  (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
