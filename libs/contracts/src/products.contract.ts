import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { ModuleClient } from './module-client';

/** The products module's patterns grow with its issue; until then it answers ping (for /ready). */
@Injectable()
export class ProductsClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('products')) rpc: RpcClient) {
    super(rpc);
  }
}
