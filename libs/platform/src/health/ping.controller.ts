import { Controller, Type } from '@nestjs/common';
import { PingReply, pingPattern } from '../rpc/ping';
import { RpcHandler } from '../rpc/rpc-handler.decorator';
import { ModuleName } from '../topology/module-names';

/** Every module answers `<module>.ping`, so a peer's /ready proves a real round trip. */
export function pingController(module: ModuleName): Type {
  @Controller()
  class PingController {
    @RpcHandler(pingPattern(module))
    ping(): PingReply {
      return { module, ok: true };
    }
  }
  Object.defineProperty(PingController, 'name', { value: `${module}PingController` });
  return PingController;
}
