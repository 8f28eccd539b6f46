import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { ModuleName } from '@mfm/platform/topology/module-names';
import { PingReply, pingPattern } from '@mfm/platform/rpc/ping';
import type { Message } from './message';

export { pingPattern, type PingReply };

/** Base of the typed client of each module: callers never see pattern strings or transports. */
export abstract class ModuleClient {
  protected constructor(protected readonly rpc: RpcClient) {}

  get peer(): ModuleName {
    return this.rpc.peer;
  }

  /** Sends one of the peer's messages and resolves with its reply. */
  protected call<Req, Res>(
    sent: Message<Req, Res>,
    request: Req,
    timeoutMs?: number,
  ): Promise<Res> {
    return this.rpc.send<Res>(sent.pattern, request, { idempotent: sent.idempotent, timeoutMs });
  }

  ping(timeoutMs?: number): Promise<PingReply> {
    return this.rpc.send<PingReply>(
      pingPattern(this.rpc.peer),
      {},
      { idempotent: true, timeoutMs },
    );
  }
}
