import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { ModuleClient } from './module-client';

/** The search module's patterns grow with its issue; until then it answers ping (for /ready). */
@Injectable()
export class SearchClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('search')) rpc: RpcClient) {
    super(rpc);
  }
}
