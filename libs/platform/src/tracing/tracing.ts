import type { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry when an OTLP endpoint is configured: traces of HTTP requests, of every
 * call between modules and of outbox deliveries. Must run before Fastify is loaded, so that its
 * instrumentation can hook in. Without an endpoint nothing is started, and the SDK (a thousand
 * files, most of a second of CPU at every start) is not even loaded: the OpenTelemetry API then
 * hands out non-recording spans and no context is propagated, so tracing costs nothing.
 */
export function startTracing(otlpEndpoint: string | undefined, serviceName: string): boolean {
  if (!otlpEndpoint || sdk) return sdk !== undefined;
  // Loaded only here, and synchronously (an import() would resolve after Fastify has loaded).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = createTracingSdk(otlpEndpoint, serviceName);
  sdk.start();
  return true;
}

/** Exports what is still buffered; called last when the process stops. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
