import Fastify, { FastifyInstance } from 'fastify';
import { API_CSP, HSTS, helmetHeaders, installSecurityHeaders } from './security-headers';

/** A page's own policy, as the web app names one in its route's config. */
const SHOP_CSP = { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'] };

/** A real Fastify server with the edge's headers and two routes: an API one and Swagger UI's page. */
async function server(trustProxy: boolean): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy });
  installSecurityHeaders(app);
  app.get('/api/things', () => ({ ok: true }));
  app.get('/docs', (_request, reply) => reply.type('text/html').send('<html></html>'));
  app.get(
    '/shop',
    { config: { helmet: { contentSecurityPolicy: { useDefaults: false, directives: SHOP_CSP } } } },
    (_request, reply) => reply.type('text/html').send('<html></html>'),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

async function get(app: FastifyInstance, path: string, headers: Record<string, string> = {}) {
  const { port } = app.server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  await response.text();
  return { statusCode: response.status, headers: Object.fromEntries(response.headers) };
}

describe('installSecurityHeaders', () => {
  let trusting: FastifyInstance;
  let direct: FastifyInstance;

  beforeAll(async () => {
    trusting = await server(true);
    direct = await server(false);
  });

  afterAll(async () => {
    await trusting.close();
    await direct.close();
  });

  it('sends HSTS when a trusted proxy says the request came over TLS', async () => {
    const res = await get(trusting, '/api/things', { 'x-forwarded-proto': 'https' });
    expect(res.headers['strict-transport-security']).toBe(HSTS);
  });

  it('sends no HSTS over plain HTTP', async () => {
    const res = await get(trusting, '/api/things');
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends no HSTS on a forged X-Forwarded-Proto when no proxy is trusted', async () => {
    const res = await get(direct, '/api/things', { 'x-forwarded-proto': 'https' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('gives the API a policy that allows nothing, and Swagger UI its own', async () => {
    const api = await get(direct, '/api/things');
    expect(api.headers['content-security-policy']).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    const docs = await get(direct, '/docs');
    expect(docs.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    for (const res of [api, docs]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it("gives a route that names its own policy that policy, with the store's other headers", async () => {
    const shop = await get(direct, '/shop');
    expect(shop.headers['content-security-policy']).toBe("default-src 'self';img-src 'self' data:");
    expect(shop.headers['x-frame-options']).toBe('DENY');
    expect(shop.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends the same headers on an unknown path (a 404)', async () => {
    const missing = await get(direct, '/no/such/page');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('helmetHeaders', () => {
  it("records what helmet's middleware sets, all of it, once", () => {
    const headers = helmetHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
      frameguard: { action: 'deny' },
      hsts: false,
    });
    expect(headers).toMatchObject({
      'content-security-policy':
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    });
    expect(headers['strict-transport-security']).toBeUndefined();
  });
});
