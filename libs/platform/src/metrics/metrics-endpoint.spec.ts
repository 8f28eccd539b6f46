import Fastify from 'fastify';
import { loadConfig } from '../config/load-config';
import { Metrics } from './metrics';
import { installMetrics } from './metrics-endpoint';

/** /metrics on a bare Fastify, as bootstrap installs it: on, behind a token, or off. */
async function app(env: Record<string, string>) {
  const fastify = Fastify();
  installMetrics(fastify, new Metrics('test'), loadConfig(env));
  fastify.get('/api/products/:id', async () => ({ ok: true }));
  await fastify.ready();
  return fastify;
}

describe('the /metrics endpoint', () => {
  it('counts answers by route template, never by raw URL', async () => {
    const fastify = await app({});
    await fastify.inject({ url: '/api/products/1' });
    await fastify.inject({ url: '/api/products/2' });
    await fastify.inject({ url: '/nowhere' });
    const text = (await fastify.inject({ url: '/metrics' })).body;
    expect(text).toContain(
      'http_requests_total{method="GET",route="/api/products/:id",status="200",process="test"} 2',
    );
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).not.toContain('/api/products/1');
    await fastify.close();
  });

  it('with METRICS_TOKEN answers only the bearer token', async () => {
    const fastify = await app({ METRICS_TOKEN: 'a-token-of-sixteen-chars' });
    expect((await fastify.inject({ url: '/metrics' })).statusCode).toBe(401);
    const ok = await fastify.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer a-token-of-sixteen-chars' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    await fastify.close();
  });

  it('with METRICS_ENABLED=false does not exist and counts nothing', async () => {
    const fastify = await app({ METRICS_ENABLED: 'false' });
    expect((await fastify.inject({ url: '/metrics' })).statusCode).toBe(404);
    await fastify.close();
  });

  it('refuses a short token at start', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
