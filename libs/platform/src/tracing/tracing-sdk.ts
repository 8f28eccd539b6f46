import type { IncomingMessage } from 'node:http';
import FastifyOtelInstrumentation from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Probes and scrapes are not worth a trace each. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

/**
 * The OpenTelemetry SDK of a process that exports traces: of HTTP requests (Node's HTTP server
 * and client, and Fastify's routes), exported over OTLP/HTTP in batches.
 */
export function createTracingSdk(otlpEndpoint: string, serviceName: string): NodeSDK {
  return new NodeSDK({
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
}
