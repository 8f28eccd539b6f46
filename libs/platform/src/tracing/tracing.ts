import type { IncomingMessage } from 'node:http';
import FastifyOtelInstrumentation from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Probes and scrapes are not worth a trace each. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry when an OTLP endpoint is configured: traces of HTTP requests (Node's HTTP
 * server and client, and Fastify's routes), of every call between modules and of outbox
 * deliveries, exported over OTLP/HTTP in batches. Must run before Fastify is loaded, so that its
 * instrumentation can hook in. Without an endpoint nothing is started: the OpenTelemetry API
 * then hands out non-recording spans and no context is propagated, so tracing costs nothing.
 */
export function startTracing(otlpEndpoint: string | undefined, serviceName: string): boolean {
  if (!otlpEndpoint || sdk) return sdk !== undefined;
  sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter({
      url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces`,
    }),
    // Traces only: metrics are Prometheus' (/metrics), logs are pino's.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) =>
          UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
        // The store itself makes no outgoing HTTP calls but its exports: do not trace the exporter.
        ignoreOutgoingRequestHook: () => true,
      }),
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        // One span for the route and one for its handler; a span per hook would be mostly noise.
        instrumentHooks: false,
        ignorePaths: ({ url }) => UNTRACED_PATHS.has(url),
      }),
    ],
  });
  sdk.start();
  return true;
}

/** Exports what is still buffered; called last when the process stops. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
