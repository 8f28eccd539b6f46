import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RpcContextInterceptor } from './rpc-context.interceptor';

/**
 * Binds a method to a message pattern, with the caller's request id, trace, metrics, shutdown
 * tracking and log line (RpcContextInterceptor). Bound per handler rather than globally, so HTTP
 * routes do not pay for an interceptor pipeline that has nothing to do for them.
 */
export function RpcHandler(pattern: string): MethodDecorator {
  return applyDecorators(MessagePattern(pattern), UseInterceptors(RpcContextInterceptor));
}
