import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { PlatformErrors } from '../errors/error-codes';
import { ShutdownState } from './shutdown-state';

/**
 * While draining, new HTTP requests are refused with 503 SHUTTING_DOWN (and Retry-After), and
 * every answer closes its connection, so keep-alive clients reconnect to another replica. The
 * requests already running are counted until their answer is sent.
 */
export function installShutdownEdge(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (state.draining) {
      void reply.header('connection', 'close');
      done(PlatformErrors.SHUTTING_DOWN.error({ retryAfterSeconds: 1 }));
      return;
    }
    reply.raw.once('close', state.http.track());
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (state.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}

export interface ShutdownReport {
  /** Everything drained within the deadline. */
  clean: boolean;
  httpLeft: number;
  rpcLeft: number;
}

/**
 * Stops a process without losing work, within `timeoutMs`:
 * 1. draining: /ready answers 503 and new HTTP requests get 503 SHUTTING_DOWN;
 * 2. the HTTP port stops accepting connections; the requests in flight finish;
 * 3. the outboxes deliver what waits in them (what cannot be delivered stays stored);
 * 4. calls from other modules are refused (they retry another replica or answer 503) and those
 *    in flight finish;
 * 5. Nest closes the rest (listeners, timers, databases).
 */
export async function gracefulShutdown(
  app: INestApplication,
  state: ShutdownState,
  timeoutMs: number,
): Promise<ShutdownReport> {
  const deadline = Date.now() + timeoutMs;
  state.draining = true;
  const server = app.getHttpServer() as Server;
  server.close();
  server.closeIdleConnections();
  const httpDone = await state.http.settled(deadline);
  await state.flush(deadline);
  state.refusingCalls = true;
  const rpcDone = await state.rpc.settled(deadline);
  const report = { clean: httpDone && rpcDone, httpLeft: state.http.size, rpcLeft: state.rpc.size };
  // Whatever is still running past the deadline is cut off here.
  server.closeAllConnections();
  await app.close();
  return report;
}
