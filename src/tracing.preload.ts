import { ProcessContext } from '@mfm/platform/topology/process-context';
import { selectServices } from '@mfm/platform/topology/select-services';
import { startTracing } from '@mfm/platform/tracing/tracing';

/**
 * Imported first by main.ts, before anything loads Node's HTTP module or Fastify, so that their
 * instrumentations can hook in. Reads OTEL_EXPORTER_OTLP_ENDPOINT itself (loadConfig validates it
 * right after, and a bad value stops the process with exit code 2 as any other); the service
 * name is the process label, `mfm-all` or `mfm-<module>`.
 */
function startTracingEarly(): void {
  if (process.argv[2] === 'bus-certs') return;
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (!endpoint) return;
  try {
    const services = selectServices(process.argv.slice(2), process.env);
    startTracing(endpoint, `mfm-${new ProcessContext(services).label}`);
  } catch {
    // A bad --service is reported by main.ts, with exit code 2.
  }
}

startTracingEarly();
