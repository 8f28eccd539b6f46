import type { FastifyInstance } from 'fastify';
import { PlatformErrors } from '../errors/error-codes';

/** The path of the first string in `value` that holds a NUL character, if any. */
export function nulCharacterAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulCharacterAt(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * No text of the store may hold a NUL character: PostgreSQL cannot store one (it answered 500),
 * and no name, email or search needs one. Refused as a validation error before any handler runs,
 * for bodies and query strings alike (the body is already parsed, and at most 32 levels deep).
 */
export function installNulGuard(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const field = nulCharacterAt(request.query) ?? nulCharacterAt(request.body);
    if (!field) {
      done();
      return;
    }
    const fields = [{ field, messages: [`${field} must not contain a NUL character`] }];
    done(PlatformErrors.VALIDATION_FAILED.error({ fields }, { fields }));
  });
}
