import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULES, Module, Store, TOPOLOGIES } from '../support/store';

jest.setTimeout(60_000);

interface Operation {
  summary?: string;
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
  'x-access'?: string;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; description?: string; license?: { name: string } };
  servers?: Array<{ url: string }>;
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

/** openapi.json as `npm run openapi:export` wrote it: what clients are generated from. */
const EXPORTED = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
) as OpenApiDocument;

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ id: `${method.toUpperCase()} ${path}`, operation })),
  );

/** Routes that belong to one module (the others have none yet); /health and /ready are everyone's. */
const OWNED: Partial<Record<Module, string[]>> = {
  users: ['POST /api/auth/login', 'POST /api/auth/register', 'GET /api/users/me'],
  logging: ['GET /api/logs'],
};

describe.each(TOPOLOGIES)(
  'Swagger UI and the OpenAPI document on every process (%s)',
  (topology) => {
    let store: Store;
    const docs = new Map<Module, OpenApiDocument>();

    beforeAll(async () => {
      store = await Store.start(topology);
      for (const module of MODULES)
        docs.set(module, (await store.request<OpenApiDocument>(module, 'GET', '/docs/json')).body);
    }, 60_000);

    afterAll(async () => {
      await store?.close();
    }, 30_000);

    it.each(MODULES)('the process of %s serves the Swagger UI page at /docs', async (module) => {
      const res = await store.request(module, 'GET', '/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toMatch(/swagger-ui/i);
    });

    it.each(MODULES)(
      'the process of %s serves an OpenAPI 3 document at /docs/json with bearer auth declared',
      async (module) => {
        const res = await store.request<OpenApiDocument>(module, 'GET', '/docs/json');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        expect(res.body.openapi).toMatch(/^3\./);
        expect(res.body.paths['/health']?.get).toBeDefined();
        expect(res.body.paths['/ready']?.get).toBeDefined();
        expect(res.body.components?.securitySchemes?.bearer).toMatchObject({
          type: 'http',
          scheme: 'bearer',
        });
      },
    );

    it.each(MODULES)(
      'every operation documented by the process of %s has a summary, a 2xx response and x-access',
      (module) => {
        const operations = operationsOf(docs.get(module)!);
        expect(operations.length).toBeGreaterThan(0);
        const problems: string[] = [];
        for (const { id, operation } of operations) {
          if (!operation.summary?.trim()) problems.push(`${id}: no summary`);
          if (!Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status)))
            problems.push(`${id}: no 2xx response`);
          const access = operation['x-access'];
          if (!access || !/^(public|authenticated|[a-z]+(\|[a-z]+)*)$/.test(access))
            problems.push(`${id}: x-access ${String(access)}`);
          const bearer = (operation.security ?? []).some((requirement) => 'bearer' in requirement);
          if (access && access !== 'public' && !bearer)
            problems.push(`${id}: ${access} but no bearer security`);
          // Public routes may accept an optional token (an empty requirement says "or none").
          const anonymousAllowed = (operation.security ?? []).some(
            (requirement) => Object.keys(requirement).length === 0,
          );
          if (access === 'public' && bearer && !anonymousAllowed)
            problems.push(`${id}: public but asks for a bearer token`);
        }
        expect(problems).toEqual([]);
      },
    );

    it('marks what needs which caller: public login and search, authenticated profile and log, employee-only product edits', () => {
      const ops = new Map(
        MODULES.flatMap((m) => operationsOf(docs.get(m)!)).map(({ id, operation }) => [
          id,
          operation,
        ]),
      );
      expect(ops.get('POST /api/auth/login')?.['x-access']).toBe('public');
      expect(ops.get('GET /health')?.['x-access']).toBe('public');
      expect(ops.get('GET /api/users/me')?.['x-access']).toBe('authenticated');
      expect(ops.get('GET /api/logs')?.['x-access']).toBe('authenticated');
      expect(ops.get('POST /api/products')?.['x-access']).toBe('employee');
      expect(ops.get('GET /api/search')?.['x-access']).toBe('public');
    });

    it('the order example of the document, sent as it is written, places a CONFIRMED order', async () => {
      const schemas = (
        EXPORTED as unknown as {
          components: {
            schemas: Record<string, { properties: Record<string, { example?: unknown }> }>;
          };
        }
      ).components.schemas;
      const body = { items: schemas.PlaceOrderDto.properties.items.example };
      const login = await store.request<{ accessToken: string }>(
        'users',
        'POST',
        '/api/auth/login',
        {
          body: { username: 'customer', password: 'HappyCart-2026' },
        },
      );
      const placed = await store.request('orders', 'POST', '/api/orders', {
        token: login.body.accessToken,
        body,
      });
      expect({ status: placed.status, order: placed.body.status }).toEqual({
        status: 201,
        order: 'CONFIRMED',
      });
      expect(placed.body.lines[0].name).toBe('Whole milk 1 l');
    });

    it.each(MODULES)(
      "the process of %s serves the whole store's document at /docs/json, exactly the exported openapi.json",
      (module) => {
        // In split mode each process adds the other modules' parts, asked over the bus.
        // toEqual compares objects whatever the order of their keys (the export sorts them).
        expect(docs.get(module)).toEqual(EXPORTED);
      },
    );

    it.each(MODULES)(
      "/docs/%s shows that module's part: its routes and only those",
      async (module) => {
        const page = await store.request(module, 'GET', `/docs/${module}`);
        expect(page.status).toBe(200);
        expect(page.text).toMatch(/swagger-ui/i);
        const part = await store.request<OpenApiDocument>(module, 'GET', `/docs/${module}/json`);
        expect(part.status).toBe(200);
        const ids = new Set(operationsOf(part.body).map((o) => o.id));
        for (const [owner, routes] of Object.entries(OWNED) as Array<[Module, string[]]>) {
          for (const route of routes)
            expect([route, ids.has(route)]).toEqual([route, owner === module]);
        }
        expect(ids.size).toBeGreaterThan(0);
      },
    );
  },
);

/** What a reader and a client generator need from the document, checked on the exported file. */
describe('the exported API document (openapi.json)', () => {
  const operations = operationsOf(EXPORTED);

  it('names every operation with a unique, readable operationId', () => {
    const ids = operations.map(
      ({ operation }) => (operation as { operationId?: string }).operationId,
    );
    expect(ids.every((id) => id !== undefined && /^[a-z][a-zA-Z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['listProducts', 'placeOrder', 'searchProducts', 'login']),
    );
  });

  it('has servers, a license and a description for every tag', () => {
    expect(EXPORTED.servers?.length).toBeGreaterThan(0);
    expect(EXPORTED.info.license?.name).toBe('MIT');
    const used = new Set(
      operations.flatMap(({ operation }) => (operation as { tags?: string[] }).tags ?? []),
    );
    for (const tag of used) {
      expect({ tag, description: EXPORTED.tags?.find((t) => t.name === tag)?.description }).toEqual(
        {
          tag,
          description: expect.any(String),
        },
      );
    }
  });

  it('says public operations need no token, and each operation who may call it', () => {
    for (const { id, operation } of operations) {
      const description = (operation as { description?: string }).description ?? '';
      expect([id, description.startsWith('**Who may call:**')]).toEqual([id, true]);
      if (operation['x-access'] === 'public') {
        // `security: []` (no token at all) or an empty requirement next to bearer (optional token).
        const security = operation.security;
        const anonymous =
          security !== undefined &&
          (security.length === 0 || security.some((r) => Object.keys(r).length === 0));
        expect([id, anonymous]).toEqual([id, true]);
      }
    }
  });

  it('documents 500 and 503 on every API operation, with the codes that can come', () => {
    for (const { id, operation } of operations.filter((o) => o.id.includes(' /api/'))) {
      const responses = operation.responses as Record<
        string,
        { content?: Record<string, { examples?: object }> }
      >;
      expect([
        id,
        Object.keys(responses['500']?.content?.['application/json']?.examples ?? {}),
      ]).toEqual([id, ['INTERNAL']]);
      expect([
        id,
        Object.keys(responses['503']?.content?.['application/json']?.examples ?? {}),
      ]).toEqual([id, expect.arrayContaining(['STORAGE_UNAVAILABLE'])]);
    }
    const place = EXPORTED.paths['/api/orders'].post.responses as Record<
      string,
      { content: Record<string, { examples: object }> }
    >;
    expect(Object.keys(place['503'].content['application/json'].examples)).toEqual(
      expect.arrayContaining(['PEER_UNAVAILABLE', 'PEER_TIMEOUT']),
    );
    expect(Object.keys(place['409'].content['application/json'].examples)).toContain(
      'INSUFFICIENT_STOCK',
    );
    // Error examples differ by status: no more one 409 example for everything.
    const examples = new Set(
      Object.values(place).flatMap((r) =>
        Object.keys(r.content?.['application/json']?.examples ?? {}),
      ),
    );
    expect(examples.size).toBeGreaterThan(6);
  });

  it('documents the catalogue query, money as integers and defaults as optional', () => {
    const list = EXPORTED.paths['/api/products'].get as unknown as {
      parameters: Array<{
        name: string;
        required?: boolean;
        schema: { type: string; maximum?: number };
      }>;
    };
    const byName = Object.fromEntries(list.parameters.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'category',
        'cursor',
        'inStock',
        'limit',
        'maxPrice',
        'minPrice',
        'minRating',
        'order',
        'page',
        'sort',
      ].sort(),
    );
    expect(Object.values(byName).every((p) => p.required !== true)).toBe(true);
    expect(byName.page.schema).toMatchObject({ type: 'integer', maximum: 10000 });
    expect(byName.minPrice.schema.type).toBe('integer');
    const search = EXPORTED.paths['/api/search'].get as unknown as {
      parameters: Array<{ name: string }>;
    };
    expect(search.parameters.map((p) => p.name)).toContain('q');
    const product = (
      EXPORTED as unknown as {
        components: { schemas: Record<string, { properties: Record<string, { type: string }> }> };
      }
    ).components.schemas.ProductResponse;
    expect(product.properties.priceCents.type).toBe('integer');
    expect(product.properties.stock.type).toBe('integer');
  });
});
