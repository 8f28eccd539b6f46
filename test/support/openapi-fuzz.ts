import fc from 'fast-check';

/**
 * Requests generated from the store's own OpenAPI document: for every operation, values that
 * follow its schemas and values that break them on purpose (wrong types, nulls, out-of-range
 * numbers, oversized or hostile strings, unknown fields, deep nesting). Fast-check draws them from
 * a seed, so a failing run can be replayed.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  /** Who may call it: public, authenticated or employee. */
  'x-access'?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export type Caller = 'anonymous' | 'customer' | 'employee' | 'garbage-token';

export interface FuzzRequest {
  method: string;
  /** The path template, e.g. /api/products/{id}. */
  route: string;
  path: string;
  headers: Record<string, string>;
  caller: Caller;
  /** A JSON text, or a raw string that is not JSON at all. */
  body?: string;
}

/** Real identifiers the valid requests use, so they reach past the 404s into the real work. */
export interface KnownIds {
  /** Ids that exist for the path parameter of a route, e.g. products, users and orders. */
  byRoute: (route: string) => string[];
  /** Ids that exist for a body field of that name (e.g. productId), or none. */
  byField?: (name: string) => string[];
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  "' OR 1=1 --",
  '"; DROP TABLE product; --',
  '%',
  '_',
  '*',
  'NEAR(a b)',
  'a"b',
  '\\',
  '\u0000',
  '\uFFFF',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'Infinity',
  'NaN',
  '-0',
  '1e308',
  '99999999999999999999',
  '0x10',
  'true',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 2 ** 31, -(2 ** 31), 0.5, 1e-9, -0),
  fc.double(),
  fc.integer(),
);

/** Any JSON value, some of them deeply nested. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
  fc
    .integer({ min: 20, max: 60 })
    .map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

export class OpenApiFuzzer {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly known: KnownIds,
    private readonly skip: (method: string, route: string) => boolean = () => false,
  ) {}

  /** Every operation of the document, as [method, route]. */
  operations(): Array<[string, string]> {
    return Object.entries(this.doc.paths).flatMap(([route, ops]) =>
      Object.keys(ops)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method): [string, string] => [method.toUpperCase(), route])
        .filter(([method]) => !this.skip(method, route)),
    );
  }

  requests(): fc.Arbitrary<FuzzRequest> {
    return fc.oneof(
      ...this.operations().map(([method, route]) =>
        fc
          .tuple(fc.boolean(), this.callers(this.doc.paths[route][method.toLowerCase()]))
          .chain(([valid, caller]) => this.request(method, route, valid, caller)),
      ),
    );
  }

  /** Mostly the caller the operation is meant for, so requests get past the access check. */
  private callers(op: Operation): fc.Arbitrary<Caller> {
    const meant: Caller =
      op['x-access'] === 'employee'
        ? 'employee'
        : op['x-access'] === 'authenticated'
          ? 'customer'
          : 'anonymous';
    return fc.oneof(
      { weight: 5, arbitrary: fc.constant(meant) },
      {
        weight: 3,
        arbitrary: fc.constantFrom<Caller>('anonymous', 'customer', 'employee', 'garbage-token'),
      },
    );
  }

  private request(
    method: string,
    route: string,
    valid: boolean,
    caller: Caller,
  ): fc.Arbitrary<FuzzRequest> {
    const op = this.doc.paths[route][method.toLowerCase()];
    const params = op.parameters ?? [];
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const value = (schema: Schema | undefined) =>
      valid ? this.validValue(schema ?? {}, 0) : this.invalidValue(schema ?? {}, 0);
    const pathArbs = params
      .filter((p) => p.in === 'path')
      .map((p) =>
        fc
          .oneof(
            { weight: valid ? 4 : 3, arbitrary: this.knownId(route) },
            { weight: 1, arbitrary: fc.uuid() },
            { weight: valid ? 0 : 1, arbitrary: hostileString.filter((s) => s.length > 0) },
          )
          .map((v): [string, string] => [p.name, String(v)]),
      );
    const queryArbs = params
      .filter((p) => p.in === 'query')
      .map((p) =>
        fc.option(value(p.schema), { nil: undefined }).map((v): [string, unknown] => [p.name, v]),
      );
    const headerArbs = params
      .filter((p) => p.in === 'header')
      .map((p) =>
        fc.option(value(p.schema), { nil: undefined }).map((v): [string, unknown] => [p.name, v]),
      );
    const bodyArb: fc.Arbitrary<string | undefined> = bodySchema
      ? fc.oneof(
          { weight: 8, arbitrary: value(bodySchema).map((v) => JSON.stringify(v)) },
          {
            weight: valid ? 0 : 1,
            arbitrary: fc.constantFrom('{', 'not json', '{"a":', '[1,2', ''),
          },
        )
      : ['POST', 'PUT', 'PATCH'].includes(method)
        ? fc.option(
            anyJson.map((v) => JSON.stringify(v)),
            { nil: undefined, freq: valid ? 20 : 3 },
          )
        : fc.constant(undefined);
    return fc
      .tuple(fc.tuple(...pathArbs), fc.tuple(...queryArbs), fc.tuple(...headerArbs), bodyArb)
      .map(([path, query, headers, body]) => {
        let url = route;
        for (const [name, v] of path) url = url.replace(`{${name}}`, encodeURIComponent(v));
        const search = new URLSearchParams();
        for (const [name, v] of query) if (v !== undefined) search.append(name, scalar(v));
        const qs = search.toString();
        const sent: Record<string, string> = {};
        for (const [name, v] of headers) {
          const text = scalar(v).replace(/[^\x20-\x7e]/g, '');
          if (v !== undefined && text) sent[name] = text;
        }
        if (body !== undefined) sent['content-type'] = 'application/json';
        return { method, route, path: qs ? `${url}?${qs}` : url, headers: sent, caller, body };
      });
  }

  private knownId(route: string): fc.Arbitrary<string> {
    const ids = this.known.byRoute(route);
    return ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid();
  }

  private resolve(schema: Schema): Schema {
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop() ?? '';
      return this.doc.components?.schemas?.[name] ?? {};
    }
    const combined = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (combined?.length) return this.resolve(combined[0]);
    return schema;
  }

  /** A value the schema allows (often its example, so strings with rules the schema cannot say still pass). */
  validValue(raw: Schema, depth: number): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const generated = this.generated(schema, depth);
    return schema.example !== undefined
      ? fc.oneof(fc.constant(schema.example), generated)
      : generated;
  }

  private generated(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? 0;
        const max = schema.maximum ?? Math.max(min, 1000);
        return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const minLength = schema.minItems ?? 0;
        const maxLength = Math.min(schema.maxItems ?? 5, minLength + 4);
        return fc.array(this.validValue(schema.items ?? {}, depth + 1), { minLength, maxLength });
      }
      case 'object':
        return this.validObject(schema, depth);
      case 'string':
      default:
        if (schema.properties) return this.validObject(schema, depth);
        return this.validString(schema);
    }
  }

  private validString(schema: Schema): fc.Arbitrary<string> {
    switch (schema.format) {
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
      case 'date-time':
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      default:
        break;
    }
    if (schema.pattern) {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter(
          (s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? 200),
        );
    }
    return fc.string({
      minLength: schema.minLength ?? 0,
      maxLength: Math.min(schema.maxLength ?? 40, 60),
    });
  }

  private validObject(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const entries = Object.entries(properties).map(([name, property]) => {
      const known = this.known.byField?.(name) ?? [];
      const value = known.length
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...known) },
            this.validValue(property, depth + 1),
          )
        : this.validValue(property, depth + 1);
      return (required.has(name) ? value : fc.option(value, { nil: undefined })).map(
        (v): [string, unknown] => [name, v],
      );
    });
    return fc
      .tuple(...entries)
      .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));
  }

  /** A value the schema refuses, or a valid object with one field broken, missing or added. */
  invalidValue(raw: Schema, depth: number): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const properties = Object.keys(schema.properties ?? {});
    if (properties.length === 0 || depth > 2) return this.brokenValue(schema);
    const base = this.validObject(schema, depth) as fc.Arbitrary<Record<string, unknown>>;
    return fc.oneof(
      { weight: 1, arbitrary: anyJson },
      {
        weight: 6,
        arbitrary: fc.tuple(base, fc.constantFrom(...properties)).chain(([object, name]) =>
          this.invalidValue(schema.properties?.[name] ?? {}, depth + 1).map((v) => ({
            ...object,
            [name]: v,
          })),
        ),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(base, fc.constantFrom(...properties)).map(([object, name]) => {
          const copy = { ...object };
          delete copy[name];
          return copy;
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(base, fc.constantFrom('admin', 'role', '__proto__', 'isAdmin', 'id', 'userId'))
          .map(([object, name]) => ({ ...object, [name]: true })),
      },
    );
  }

  /** Null, the wrong type, or just past a limit the schema states: where servers break. */
  private brokenValue(schema: Schema): fc.Arbitrary<unknown> {
    const wrongType: fc.Arbitrary<unknown> =
      schema.type === 'string'
        ? fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}))
        : schema.type === 'integer' || schema.type === 'number'
          ? fc.oneof(fc.constantFrom('5', 'abc', '', true, [], {}, 1.5))
          : schema.type === 'boolean'
            ? fc.constantFrom('true', 1, 'yes', 0, [])
            : fc.constantFrom('x', 1, true, [], {});
    const pastLimits: unknown[] = [];
    if (schema.type === 'integer' || schema.type === 'number') {
      if (schema.minimum !== undefined) pastLimits.push(schema.minimum - 1);
      if (schema.maximum !== undefined) pastLimits.push(schema.maximum + 1);
      pastLimits.push(1e308, -1e308, 2 ** 63, 0.5);
    } else if (schema.type === 'array') {
      pastLimits.push(
        [],
        Array.from({ length: (schema.maxItems ?? 100) + 1 }, () => ({})),
      );
    } else {
      pastLimits.push('', ' ', 'x'.repeat((schema.maxLength ?? 1000) + 1), ...HOSTILE_STRINGS);
    }
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: wrongType },
      { weight: 3, arbitrary: fc.constantFrom(...pastLimits) },
      { weight: 1, arbitrary: anyJson },
    );
  }
}

function scalar(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** What a response must never show a client: stack frames, SQL, file paths. */
export const LEAK =
  /\bat [\w$.<>]+ \(|node_modules|\/dist\/|\/src\/|\.ts:\d+|\.js:\d+:\d+|QueryFailedError|SqliteError|SQLITE_[A-Z]|syntax error at or near|\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b/;
