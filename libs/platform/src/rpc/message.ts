import type { ModuleName } from '../topology/module-names';

/**
 * One message a module answers, defined once: the module that answers it, its pattern on the
 * bus, what it takes and what it answers. The typed clients send it, the module's handler is
 * bound to it, and outboxes queue it. The messages themselves are the contracts'.
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
