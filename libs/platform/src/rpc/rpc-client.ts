import { HttpException, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { RequestContext } from '../context/request-context';
import { ModuleName } from '../topology/module-names';
import { RpcEnvelope } from './envelope';
import { toCallerError } from './rpc-error.mapper';

export interface CallOptions {
  /** Safe to repeat: a call that could not reach the peer is retried with backoff. */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface RpcClientOptions {
  /**
   * Opens a new connection to the peer (socket transports). With it, a call that times out
   * retires the connection it went over: a peer behind a dead link or a half-open socket never
   * answers on it again, and nothing would ever close it.
   */
  reconnect?: () => ClientProxy;
}

const RETRY_DELAYS_MS = [50, 200];

/**
 * Sends a typed message to one module, over whichever transport the topology chose. Every call
 * has a deadline, carries the request id, and fails as the same HttpException the peer raised.
 */
export class RpcClient {
  private readonly logger: Logger;
  private proxy: ClientProxy;
  /** Calls waiting on each connection, so a retired one is closed only once they have settled. */
  private readonly inFlight = new Map<ClientProxy, number>();
  private readonly retired = new Set<ClientProxy>();

  constructor(
    readonly peer: ModuleName,
    proxy: ClientProxy,
    private readonly defaultTimeoutMs: number,
    private readonly caller: string,
    private readonly options: RpcClientOptions = {},
  ) {
    this.proxy = proxy;
    this.logger = new Logger(`RpcClient:${peer}`);
  }

  async send<TResponse, TRequest = unknown>(
    pattern: string,
    payload: TRequest,
    options: CallOptions = {},
  ): Promise<TResponse> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const envelope: RpcEnvelope<TRequest> = {
      meta: { requestId: RequestContext.requestId(), caller: this.caller },
      payload,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<TResponse, TRequest>(pattern, envelope, deadline - Date.now());
      } catch (raw) {
        const error = toCallerError(raw, this.peer, timeoutMs);
        const delay = RETRY_DELAYS_MS[attempt];
        if (
          options.idempotent &&
          isConnectionFailure(error) &&
          delay !== undefined &&
          Date.now() + delay < deadline
        ) {
          await sleep(delay);
          continue;
        }
        if (error.getStatus() >= 500) this.logger.warn(`${pattern} failed: ${error.message}`);
        throw error;
      }
    }
  }

  close(): void {
    this.proxy.close();
    for (const proxy of this.retired) closeNow(proxy);
    this.retired.clear();
  }

  private async attempt<TResponse, TRequest>(
    pattern: string,
    envelope: RpcEnvelope<TRequest>,
    remainingMs: number,
  ): Promise<TResponse> {
    const proxy = this.proxy;
    this.inFlight.set(proxy, (this.inFlight.get(proxy) ?? 0) + 1);
    try {
      return await firstValueFrom(
        proxy
          .send<TResponse, RpcEnvelope<TRequest>>(pattern, envelope)
          .pipe(timeout({ first: Math.max(remainingMs, 1) })),
      );
    } catch (error) {
      if (error instanceof TimeoutError) this.retire(proxy);
      throw error;
    } finally {
      const left = (this.inFlight.get(proxy) ?? 1) - 1;
      if (left > 0) this.inFlight.set(proxy, left);
      else {
        this.inFlight.delete(proxy);
        if (this.retired.delete(proxy)) closeNow(proxy);
      }
    }
  }

  /**
   * New calls go over a new connection from now on. The old one stays open for the calls still
   * waiting on it (a slow answer is still an answer) and is closed when the last of them settles,
   * each within its own deadline.
   */
  private retire(proxy: ClientProxy): void {
    if (!this.options.reconnect || proxy !== this.proxy) return;
    this.proxy = this.options.reconnect();
    this.retired.add(proxy);
    this.logger.warn(`a call to ${this.peer} timed out: its connection is dropped`);
  }
}

/** Closes a connection without waiting for a peer that may never acknowledge it. */
function closeNow(proxy: ClientProxy): void {
  let socket: { destroy(): void } | undefined;
  try {
    socket = proxy.unwrap<{ destroy(): void }>();
  } catch {
    // never connected: nothing to destroy
  }
  proxy.close();
  socket?.destroy();
}

function isConnectionFailure(error: HttpException): boolean {
  const body = error.getResponse() as { code?: string };
  return body.code === 'PEER_UNAVAILABLE';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
