import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PlatformErrors } from '../errors/error-codes';

/** No request of this API nests deeper than a few levels; 32 leaves room and stops abuse. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep arrays and objects nest in a JSON text, stopping as soon as `limit` is passed. One
 * pass over the characters, strings skipped, so it costs about as much as reading the body once.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Fastify's own JSON parser (with its prototype-poisoning protection), behind a nesting check.
 * A deeply nested body parses quickly but then sends the validation layer's recursion (and the
 * event loop) into seconds of work and a stack overflow; refusing it here costs one scan.
 * Registered through Nest, so it replaces Nest's default JSON parser.
 */
export function installJsonBodyParser(
  app: NestFastifyApplication,
  maxDepth = MAX_JSON_DEPTH,
): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', {}, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text, maxDepth)) {
      done(PlatformErrors.BODY_TOO_DEEP.error({ maxDepth }, { maxDepth }), undefined);
      return;
    }
    void parse(request as Parameters<typeof parse>[0], text, done);
  });
}
