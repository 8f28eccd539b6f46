import { HttpException, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { RequestContext } from '../context/request-context';
import { ModuleName } from '../topology/module-names';
import { RpcEnvelope } from './envelope';
import { toCallerError } from './rpc-error.mapper';

export interface CallOptions {
  /** Safe to repeat: a call that could not reach the peer is retried with backoff. */
  idempotent?: boolean;
  timeoutMs?: number;
}

const RETRY_DELAYS_MS = [50, 200];

/**
 * Sends a typed message to one module, over whichever transport the topology chose. Every call
 * has a deadline, carries the request id, and fails as the same HttpException the peer raised.
 */
export class RpcClient {
  private readonly logger: Logger;

  constructor(
    readonly peer: ModuleName,
    private readonly proxy: ClientProxy,
    private readonly defaultTimeoutMs: number,
    private readonly caller: string,
  ) {
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
      const remaining = deadline - Date.now();
      try {
        return await firstValueFrom(
          this.proxy
            .send<TResponse, RpcEnvelope<TRequest>>(pattern, envelope)
            .pipe(timeout({ first: Math.max(remaining, 1) })),
        );
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
  }
}

function isConnectionFailure(error: HttpException): boolean {
  const body = error.getResponse() as { code?: string };
  return body.code === 'PEER_UNAVAILABLE';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
