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
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

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

    it.each(MODULES)(
      'the process of %s documents the routes it serves, and only those',
      (module) => {
        const ids = new Set(operationsOf(docs.get(module)!).map((o) => o.id));
        for (const [owner, routes] of Object.entries(OWNED) as Array<[Module, string[]]>) {
          const hosted = topology === 'single' || owner === module;
          for (const route of routes) expect([route, ids.has(route)]).toEqual([route, hosted]);
        }
      },
    );
  },
);
