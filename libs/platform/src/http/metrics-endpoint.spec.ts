import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { ConfigError, loadConfig } from '../config/load-config';
import { Metrics } from '../metrics/metrics';
import { installMetrics, startMetricsListener } from './metrics-endpoint';

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

  it('in production is off without a token or a port of its own, and on with either', async () => {
    const off = await app({ NODE_ENV: 'production' });
    expect((await off.inject({ url: '/metrics' })).statusCode).toBe(404);
    await off.close();
    const withToken = await app({
      NODE_ENV: 'production',
      METRICS_TOKEN: 'a-token-of-sixteen-chars',
    });
    expect((await withToken.inject({ url: '/metrics' })).statusCode).toBe(401);
    await withToken.close();
    expect(loadConfig({ NODE_ENV: 'production', METRICS_PORT: '9464' }).metrics).toEqual({
      enabled: true,
      token: undefined,
      port: 9464,
    });
    // Outside production nothing changes.
    expect(loadConfig({ NODE_ENV: 'development' }).metrics.enabled).toBe(true);
  });

  it('in production refuses METRICS_ENABLED=true without a token or a port, in one line', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', METRICS_ENABLED: 'true' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'Invalid configuration: METRICS_ENABLED: /metrics needs METRICS_TOKEN or a port of its own (METRICS_PORT) when NODE_ENV=production',
    );
  });

  it('with METRICS_PORT serves /metrics only there (the token asked for there too)', async () => {
    const config = loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'a-token-of-sixteen-chars' });
    const metrics = new Metrics('test');
    const fastify = Fastify();
    installMetrics(fastify, metrics, config);
    await fastify.ready();
    expect((await fastify.inject({ url: '/metrics' })).statusCode).toBe(404);
    await fastify.close();
    const server = await startMetricsListener(
      metrics,
      { ...config, metrics: { ...config.metrics, port: 0 } },
      '127.0.0.1',
    );
    try {
      const base = `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const ok = await fetch(`${base}/metrics`, {
        headers: { authorization: 'Bearer a-token-of-sixteen-chars' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('process_cpu');
      expect((await fetch(`${base}/api/products`)).status).toBe(404);
    } finally {
      server?.close();
    }
  });

  it('refuses a METRICS_PORT that another listener has', () => {
    expect(() => loadConfig({ METRICS_PORT: '3002' })).toThrow(
      'METRICS_PORT=3002: the same port as PRODUCTS_HTTP_PORT',
    );
  });

  it('refuses a short token at start', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
