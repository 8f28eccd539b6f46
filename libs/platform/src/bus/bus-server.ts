import type { Server as TlsServer, TlsOptions } from 'node:tls';
import { ServerTCP, TcpSocket } from '@nestjs/microservices';
import type { Type } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';
import { CallerPolicy } from './caller-policy';
import { busPeerModule } from './bus-peer';
import { ConnectionLimits, guardConnections } from './connection-guard';

export interface BusServerOptions {
  /** The module this listener serves. */
  module: string;
  host: string;
  port: number;
  tlsOptions: TlsOptions;
  socketClass: Type<TcpSocket>;
  limits: ConnectionLimits;
  callers: CallerPolicy;
  metrics?: Metrics;
}

/**
 * A module's bus listener: Nest's TCP transport over mutual TLS, with its connections bounded
 * (guardConnections) and every message checked against who may send its pattern, the caller
 * being the module named in the client certificate the TLS session verified.
 */
export class BusServer extends ServerTCP {
  private readonly closeConnections: () => void;
  private readonly callers: CallerPolicy;

  constructor(options: BusServerOptions) {
    super({
      host: options.host,
      port: options.port,
      tlsOptions: options.tlsOptions,
      socketClass: options.socketClass,
    });
    this.callers = options.callers;
    this.closeConnections = guardConnections(
      this.server as TlsServer,
      options.module,
      options.limits,
      options.metrics,
    );
  }

  override async handleMessage(socket: TcpSocket, rawMessage: unknown): Promise<unknown> {
    const { pattern, id } = (rawMessage ?? {}) as { pattern?: unknown; id?: unknown };
    const name = this.getPatternAsString(pattern);
    // A pattern nobody here handles gets Nest's own answer (the peers run different versions).
    if (this.getHandlerByPattern(name)) {
      const refusal = this.callers.refusal(name, busPeerModule(socket.netSocket));
      if (refusal) {
        if (id === undefined) return; // an event: nobody waits for an answer
        const answer = { id: id as string, err: refusal, isDisposed: true };
        socket.sendMessage(await this.serializer.serialize(answer));
        return;
      }
    }
    return super.handleMessage(socket, rawMessage);
  }

  override close(): void {
    super.close();
    this.closeConnections();
  }
}
