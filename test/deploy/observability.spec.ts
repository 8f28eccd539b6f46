import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@mfm/platform/config/load-config';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { MODULE_NAMES } from '@mfm/platform/topology/module-names';
import { ROOT, loadCompose, serviceEnv } from './compose';

/**
 * Compose's observability profile as files: Prometheus scrapes every module where compose runs
 * it, Grafana is provisioned with the store's dashboard, whose every query names a metric the
 * store really exports, and the modules send traces to the profile's Jaeger when told to.
 */

const OBSERVABILITY = join(ROOT, 'docker', 'observability');
const JAEGER_OTLP = 'http://jaeger:4318';
const compose = loadCompose({ OTEL_EXPORTER_OTLP_ENDPOINT: JAEGER_OTLP });
const services = compose.services;
const dashboard = JSON.parse(
  readFileSync(join(OBSERVABILITY, 'grafana', 'dashboards', 'micro-foods-market.json'), 'utf8'),
) as {
  uid: string;
  panels: Array<{ title: string; targets: Array<{ expr: string; datasource: { uid: string } }> }>;
};

/** Metric names a query selects (functions, `by (…)` label lists and label matchers left out). */
function selectedMetrics(expr: string): string[] {
  const bare = expr
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  return [...bare.matchAll(/([a-z_:][a-z0-9_:]*)\s*(?=\{\}|\[\]|\))/g)].map((m) => m[1]);
}

describe('compose observability profile', () => {
  it('runs Prometheus, Grafana and Jaeger only with the observability profile, each checked for health', () => {
    for (const name of ['prometheus', 'grafana', 'jaeger']) {
      expect({ name, profiles: services[name]?.profiles }).toEqual({
        name,
        profiles: ['observability'],
      });
      expect(services[name].healthcheck?.test.length).toBeGreaterThan(0);
    }
    expect(services.prometheus.volumes).toContain(
      './docker/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    expect(serviceEnv(services.jaeger).COLLECTOR_OTLP_ENABLED).toBe('true');
  });

  it('Prometheus scrapes /metrics of every module on the metrics port compose gives it', () => {
    const config = parse(readFileSync(join(OBSERVABILITY, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{
        metrics_path?: string;
        static_configs: Array<{ targets: string[] }>;
      }>;
    };
    const [job] = config.scrape_configs;
    expect(job.metrics_path).toBe('/metrics');
    const targets = job.static_configs.flatMap((c) => c.targets).sort();
    const expected = MODULE_NAMES.map((module) => {
      const own = loadConfig(serviceEnv(services[module]));
      expect(services[module]).toBeDefined();
      // Its own port, on the compose network only: not the HTTP port a gateway or a user reaches.
      expect(own.metrics.port).toBeDefined();
      expect(own.metrics.port).not.toBe(own.modules[module].httpPort);
      return `${module}:${own.metrics.port}`;
    }).sort();
    expect(targets).toEqual(expected);
  });

  it('every module sends its traces to the profile’s Jaeger when OTEL_EXPORTER_OTLP_ENDPOINT names it', () => {
    expect(JAEGER_OTLP).toMatch(/^http:\/\/jaeger:/);
    for (const module of MODULE_NAMES)
      expect(loadConfig(serviceEnv(services[module])).tracing.otlpEndpoint).toBe(JAEGER_OTLP);
    expect(
      loadConfig(serviceEnv(loadCompose().services.users)).tracing.otlpEndpoint,
    ).toBeUndefined();
  });

  it('Grafana loads the dashboard from the folder compose mounts, with the data sources it uses', () => {
    const mounts = services.grafana.volumes ?? [];
    const provider = parse(
      readFileSync(
        join(OBSERVABILITY, 'grafana', 'provisioning', 'dashboards', 'dashboards.yml'),
        'utf8',
      ),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(mounts).toContain(
      `./docker/observability/grafana/dashboards:${provider.providers[0].options.path}:ro`,
    );
    expect(mounts).toContain(
      './docker/observability/grafana/provisioning:/etc/grafana/provisioning:ro',
    );
    const sources = parse(
      readFileSync(
        join(OBSERVABILITY, 'grafana', 'provisioning', 'datasources', 'datasources.yml'),
        'utf8',
      ),
    ) as { datasources: Array<{ uid: string; url: string }> };
    const uids = new Set(sources.datasources.map((d) => d.uid));
    for (const panel of dashboard.panels)
      for (const target of panel.targets) expect(uids).toContain(target.datasource.uid);
    for (const source of sources.datasources) {
      const host = new URL(source.url).hostname;
      expect(services[host]).toBeDefined();
    }
  });

  it('the dashboard shows requests/s, p95 per route, errors, RPC latency per pattern, outbox backlog and saga outcomes', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const shows = (pattern: RegExp) => exprs.some((e) => pattern.test(e));
    expect(shows(/rate\(http_requests_total\[/)).toBe(true);
    expect(
      shows(
        /histogram_quantile\(0\.95, sum by \(le, route\) \(rate\(http_request_duration_seconds_bucket/,
      ),
    ).toBe(true);
    expect(shows(/http_requests_total\{status=~"5\.\."\}/)).toBe(true);
    expect(shows(/sum by \(le, pattern\) \(rate\(rpc_client_duration_seconds_bucket/)).toBe(true);
    expect(shows(/outbox_backlog_messages/)).toBe(true);
    expect(shows(/orders_saga_outcomes_total/)).toBe(true);
  });

  it('every metric the dashboard queries is one the store exports', async () => {
    const metrics = new Metrics('check');
    const exported = new Set<string>();
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      exported.add(metric.name);
      if (String(metric.type) === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${metric.name}${suffix}`);
    }
    const queried = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => selectedMetrics(t.expr)),
    );
    expect(queried.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    for (const name of new Set(queried))
      expect({ name, exported: exported.has(name) }).toEqual({ name, exported: true });
  });

  it('the gateway keeps /metrics to the internal network', () => {
    const template = readFileSync(join(ROOT, 'docker', 'gateway', 'default.conf.template'), 'utf8');
    expect(template).toMatch(
      /location = \/metrics \{\s*default_type application\/json;\s*return 404 /,
    );
  });
});
