import type { OpenAPIObject } from '@nestjs/swagger';
import { PlatformErrors } from '../errors/error-codes';
import { errorResponses } from './api-errors.decorator';

type Json = Record<string, unknown>;

const ACCESS_TEXT: Record<string, string> = {
  public: 'Anyone, no token needed.',
  authenticated: 'Any signed-in user (bearer token).',
  employee: 'Employees only (bearer token of an employee account).',
  customer: 'Customers only (bearer token of a customer account).',
};

/** Routes of the users module verify tokens in their own process; every other signed-in route asks users. */
const OWN_TOKEN_CHECK = /^\/(api\/auth|api\/users|\.well-known)(\/|$)/;

/**
 * What the decorators cannot say, applied to the whole document once:
 * - a parameter or property with a default value is optional;
 * - numbers are integers (money in cents, stock, quantities, pages, versions), except those
 *   documented with a floating-point format;
 * - every API operation documents 500, and 503 with the reasons that apply to it (its storage
 *   refusing a write; for routes that call another module, that module being down or slow);
 * - public operations say so with an empty security requirement, and every operation's
 *   description starts with who may call it.
 */
export function refineDocument(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item as Json)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = raw as Json & {
        parameters?: Json[];
        responses?: Record<string, unknown>;
        security?: Array<Record<string, unknown>>;
        description?: string;
      };
      // Parameters of inherited query classes come in an order that depends on which classes the
      // process loaded first; sorted, every process serves the same document.
      operation.parameters?.sort(byLocationThenName);
      for (const parameter of operation.parameters ?? []) {
        const schema = parameter.schema as Json | undefined;
        if (schema && 'default' in schema) parameter.required = false;
      }
      const access = operation['x-access'] as string | undefined;
      if (access) {
        const who = access
          .split('|')
          .map((role) => ACCESS_TEXT[role] ?? role)
          .join(' / ');
        operation.description = `**Who may call:** ${who}${operation.description ? `\n\n${operation.description}` : ''}`;
        if (access === 'public' && !operation.security) operation.security = [];
      }
      if (!path.startsWith('/api/')) continue;
      const callsPeer =
        !OWN_TOKEN_CHECK.test(path) &&
        (operation.security ?? []).some((requirement) => 'bearer' in requirement);
      const unavailable = callsPeer
        ? [
            PlatformErrors.STORAGE_UNAVAILABLE,
            PlatformErrors.PEER_UNAVAILABLE,
            PlatformErrors.PEER_TIMEOUT,
            PlatformErrors.PEER_INCOMPATIBLE,
            PlatformErrors.SHUTTING_DOWN,
          ]
        : [PlatformErrors.STORAGE_UNAVAILABLE, PlatformErrors.SHUTTING_DOWN];
      const responses = (operation.responses ??= {});
      const bodyErrors = operation.requestBody
        ? [
            PlatformErrors.BAD_REQUEST,
            PlatformErrors.BODY_TOO_DEEP,
            PlatformErrors.PAYLOAD_TOO_LARGE,
          ]
        : [];
      for (const response of errorResponses([
        ...bodyErrors,
        ...unavailable,
        PlatformErrors.INTERNAL,
      ])) {
        mergeResponse(responses, response);
      }
      for (const response of Object.values(responses)) describeByCodes(response as Json);
    }
  }
  for (const schema of Object.values(document.components?.schemas ?? {}))
    refineSchema(schema as Json);
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Json)) {
      for (const parameter of ((operation as Json).parameters as Json[] | undefined) ?? []) {
        if (parameter.schema) refineSchema(parameter.schema as Json);
      }
    }
  }
  return document;
}

const LOCATION_ORDER = ['path', 'query', 'header', 'cookie'];

/** Path parameters first (they are few and positional), then the rest by name. */
function byLocationThenName(a: Json, b: Json): number {
  const location = LOCATION_ORDER.indexOf(a.in as string) - LOCATION_ORDER.indexOf(b.in as string);
  if (location !== 0) return location;
  return a.in === 'path' ? 0 : String(a.name).localeCompare(String(b.name));
}

type ErrorResponse = ReturnType<typeof errorResponses>[number];

/** Adds a status's examples to what the route already documents for it (or documents it). */
function mergeResponse(responses: Record<string, unknown>, response: ErrorResponse): void {
  const { status, ...documented } = response;
  const existing = responses[String(status)] as
    { description?: string; content?: Record<string, { examples?: Json }> } | undefined;
  const examples = existing?.content?.['application/json']?.examples;
  if (!existing || !examples) {
    responses[String(status)] = documented;
    return;
  }
  Object.assign(examples, documented.content['application/json'].examples);
}

const CODE_LIST = /^[A-Z_]+(, [A-Z_]+)*$/;

/**
 * An error response's description lists its codes once each, whichever decorators (a guard's,
 * the route's, the ones above) contributed its examples, then any other words they gave.
 */
function describeByCodes(response: {
  description?: string;
  content?: Record<string, { examples?: Json }>;
}): void {
  const examples = response.content?.['application/json']?.examples;
  if (!examples) return;
  const codes = Object.values(examples).map(
    (example) => (example as { value?: { code?: unknown } }).value?.code,
  );
  if (!codes.length || !codes.every((code) => typeof code === 'string')) return;
  // What a decorator said besides its codes (a rate limit's variable, for one) stays.
  const prose = (response.description ?? '').split('\n\n').filter((part) => !CODE_LIST.test(part));
  response.description = [[...new Set(codes)].join(', '), ...prose].join('\n\n');
}

function refineSchema(schema: Json): void {
  if (schema.type === 'number' && schema.format !== 'double' && schema.format !== 'float') {
    schema.type = 'integer';
  }
  const properties = schema.properties as Record<string, Json> | undefined;
  if (properties) {
    const withDefault = Object.keys(properties).filter((name) => 'default' in properties[name]);
    if (Array.isArray(schema.required)) {
      schema.required = (schema.required as string[]).filter((name) => !withDefault.includes(name));
      if ((schema.required as string[]).length === 0) delete schema.required;
    }
    Object.values(properties).forEach(refineSchema);
  }
  if (schema.items) refineSchema(schema.items as Json);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    (schema[key] as Json[] | undefined)?.forEach(refineSchema);
  }
}
