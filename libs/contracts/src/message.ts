import { RpcHandler } from '@mfm/platform/rpc/rpc-handler.decorator';
import type { ModuleName } from '@mfm/platform/topology/module-names';

/**
 * One message a module answers, defined once: the module that answers it, its pattern on the
 * bus, what it takes and what it answers. The typed clients send it, the module's handler is
 * bound to it (@Handles), and outboxes queue it.
 */
export interface Message<Req, Res> {
  readonly module: ModuleName;
  /** `<module>.<name>`, e.g. `products.get_many`. */
  readonly pattern: string;
  /**
   * Receiving it twice changes nothing more than receiving it once: callers may retry it on
   * another replica, and an outbox may deliver it again.
   */
  readonly idempotent: boolean;
  /** Carries the types only; never set. */
  readonly types?: { request: Req; reply: Res };
}

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
