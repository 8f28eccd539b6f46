import { Logger } from '@nestjs/common';
import {
  BaseRpcContext,
  ClientProxy,
  CustomTransportStrategy,
  ReadPacket,
  Server,
  WritePacket,
} from '@nestjs/microservices';
import { ModuleName } from '../topology/module-names';
import { CallerPolicy } from '../bus/caller-policy';

export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

/** Context handed to handlers of in-process messages (the TCP transport gives a TcpContext). */
export class InProcessContext extends BaseRpcContext<[string, ModuleName]> {
  getPattern(): string {
    return this.args[0];
  }

  /** The module whose client sent the message. */
  getCaller(): ModuleName {
    return this.args[1];
  }
}

type Respond = (packet: WritePacket) => void;

/**
 * Connects in-process clients to the in-process server of the same application, without a socket.
 * One bus per application instance, so two apps in one test process never see each other.
 */
export class InProcessBus {
  private server?: InProcessServer;

  attach(server: InProcessServer): void {
    this.server = server;
  }

  detach(server: InProcessServer): void {
    if (this.server === server) this.server = undefined;
  }

  dispatch(pattern: string, data: unknown, caller: ModuleName, respond: Respond): void {
    if (!this.server) {
      respond({
        err: {
          statusCode: 503,
          error: 'Service Unavailable',
          code: 'PEER_UNAVAILABLE',
          message: 'The application is not listening yet',
        },
        isDisposed: true,
      });
      return;
    }
    this.server.handleLocal(pattern, data, caller, respond);
  }
}

/**
 * A transport strategy whose "wire" is a function call. Messages go through Nest's normal handler
 * pipeline (interceptors, pipes, exception filters), exactly as they would over TCP, and the same
 * table of who may send which pattern applies: a call one module may not make fails here too.
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  override transportId = IN_PROCESS_TRANSPORT;

  constructor(
    private readonly bus: InProcessBus,
    private readonly callers: CallerPolicy,
  ) {
    super();
  }

  listen(callback: () => void): void {
    this.bus.attach(this);
    callback();
  }

  close(): void {
    this.bus.detach(this);
  }

  on(): void {
    // No transport-level events: there is no connection that could fail.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  handleLocal(pattern: string, data: unknown, caller: ModuleName, respond: Respond): void {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      respond({
        err: 'There is no matching message handler defined in the remote service.',
        isDisposed: true,
      });
      return;
    }
    const refusal = this.callers.refusal(pattern, caller);
    if (refusal) {
      respond({ err: refusal, isDisposed: true });
      return;
    }
    const context = new InProcessContext([pattern, caller]);
    this.handleRequest(
      context,
      async () => this.transformToObservable(await handler(data, context)),
      respond,
    );
  }
}

/**
 * The client side of the in-process transport, calling as one module (`caller`, what a client
 * certificate says over TCP). Payloads are cloned through JSON both ways, so a handler can neither
 * see the caller's objects nor return something a socket could not carry: one process behaves
 * like five.
 */
export class InProcessClient extends ClientProxy {
  private readonly logger = new Logger(InProcessClient.name);

  constructor(
    private readonly bus: InProcessBus,
    private readonly caller: ModuleName,
  ) {
    super();
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    // Nothing to close: there is no connection.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let active = true;
    const pattern = this.normalizePattern(packet.pattern as string);
    const data: unknown = clone(packet.data as unknown);
    // Deliver on a later tick, as a socket would: the caller never runs the handler synchronously.
    setImmediate(() => {
      if (!active) return;
      this.bus.dispatch(pattern, data, this.caller, (reply) => {
        if (!active) return;
        callback(cloneReply(reply));
      });
    });
    return () => {
      active = false;
    };
  }

  protected dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    return new Promise<T>((resolve) => {
      this.publish(packet, (reply) => {
        if (reply.err)
          this.logger.warn(`Event ${String(packet.pattern)} failed: ${JSON.stringify(reply.err)}`);
        resolve(undefined as T);
      });
    });
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function cloneReply(reply: WritePacket): WritePacket {
  return {
    ...reply,
    err: reply.err instanceof Error ? { message: reply.err.message } : clone<unknown>(reply.err),
    response: clone<unknown>(reply.response),
  };
}
