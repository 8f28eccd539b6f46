import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { Logger } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';

export interface ConnectionLimits {
  /** Connections the listener holds at once, in the handshake or established. */
  maxConnections: number;
  /** Connections one remote address holds at once. */
  maxConnectionsPerAddress: number;
}

export type RefusalReason =
  'listener_full' | 'address_full' | 'handshake_timeout' | 'handshake_failed';

/** A refused connection is logged at most this often per listener (with the count since). */
const LOG_EVERY_MS = 10_000;

/**
 * What keeps a bus listener's sockets bounded, whoever connects:
 * - a connection whose TLS handshake fails or stalls past the handshake timeout is destroyed
 *   (Node only reports a timed-out handshake, it leaves the socket open);
 * - at most `maxConnections` at once on the listener and `maxConnectionsPerAddress` from one
 *   address; one over either cap is closed as it arrives, and its peer may try again.
 * Established connections of the store's own modules stay as they are, so a flood delays only new
 * connections, and only from the addresses or while the listener is full.
 * Returns a function that destroys every connection still held (for shutdown).
 */
export function guardConnections(
  server: TlsServer,
  module: string,
  limits: ConnectionLimits,
  metrics?: Metrics,
): () => void {
  const logger = new Logger(`Bus:${module}`);
  const perAddress = new Map<string, number>();
  const open = new Set<Socket>();
  const suppressed = new Map<RefusalReason, number>();
  let lastLog = 0;

  const refused = (reason: RefusalReason, address: string | undefined, detail?: string): void => {
    metrics?.busConnectionsClosed.inc({ module, reason });
    const now = Date.now();
    if (now - lastLog < LOG_EVERY_MS) {
      suppressed.set(reason, (suppressed.get(reason) ?? 0) + 1);
      return;
    }
    const since = [...suppressed].map(([r, n]) => `${n} ${r}`).join(', ');
    suppressed.clear();
    lastLog = now;
    logger.warn({
      msg: `bus ${module}: refused a connection from ${address ?? 'unknown'} (${reason}${detail ? `: ${detail}` : ''})${since ? `; also refused since the last line: ${since}` : ''}`,
      reason,
      remoteAddress: address,
    });
  };

  const cap = Math.min(limits.maxConnectionsPerAddress, limits.maxConnections);
  server.maxConnections = limits.maxConnections;
  server.on('drop', (dropped?: { remoteAddress?: string }) =>
    refused('listener_full', dropped?.remoteAddress),
  );
  server.on('connection', (raw: Socket) => {
    const address = raw.remoteAddress ?? 'unknown';
    const held = perAddress.get(address) ?? 0;
    if (held >= cap) {
      raw.destroy();
      refused('address_full', address);
      return;
    }
    perAddress.set(address, held + 1);
    open.add(raw);
    metrics?.busConnections.set({ module }, open.size);
    raw.once('close', () => {
      open.delete(raw);
      metrics?.busConnections.set({ module }, open.size);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
  server.on('tlsClientError', (error: Error & { code?: string }, socket: TLSSocket) => {
    const address = socket.remoteAddress;
    socket.destroy();
    // A connection closed above for a cap ends its handshake too: it is counted there already.
    if (error.code === 'ECONNRESET' && socket.bytesRead === 0) return;
    refused(
      error.code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? 'handshake_timeout' : 'handshake_failed',
      address,
      error.message,
    );
  });
  return () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
}
