import { RpcHandler } from '@mfm/platform/rpc/rpc-handler.decorator';
import type { Message } from '@mfm/platform/rpc/message';
import type { ModuleName } from '@mfm/platform/topology/module-names';

// The shape of a message is the platform's (outboxes queue messages); which messages exist is
// the contracts'.
export type { Message };

export function message<Req, Res>(
  module: ModuleName,
  name: string,
  options: { idempotent: boolean },
): Message<Req, Res> {
  return { module, pattern: `${module}.${name}`, idempotent: options.idempotent };
}

export type RequestOf<M> = M extends Message<infer Req, unknown> ? Req : never;
export type ReplyOf<M> = M extends Message<unknown, infer Res> ? Res : never;

/** A module's API as its messages define it: one method per message, request in, reply out. */
export type ModuleApi<M extends Record<string, Message<unknown, unknown>>> = {
  [K in keyof M]: (request: RequestOf<M[K]>) => Promise<ReplyOf<M[K]>>;
};

/**
 * Binds a handler method to a message (@RpcHandler with the message's pattern); the compiler
 * checks the method against the message's request and reply.
 */
export function Handles<Req, Res>(handled: Message<Req, Res>) {
  const decorate = RpcHandler(handled.pattern);
  return (
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<(request: Req) => Promise<Res>>,
  ): void => {
    decorate(target, key, descriptor);
  };
}
