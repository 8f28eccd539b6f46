import Fastify, { FastifyInstance } from 'fastify';
import { HSTS, installSecurityHeaders } from './security-headers';

/** A real Fastify server with the edge's headers and two routes: an API one and Swagger UI's page. */
async function server(trustProxy: boolean): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy });
  await installSecurityHeaders(app);
  app.get('/api/things', () => ({ ok: true }));
  app.get('/docs', (_request, reply) => reply.type('text/html').send('<html></html>'));
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
});
