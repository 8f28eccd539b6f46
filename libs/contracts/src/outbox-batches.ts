import { LoggingMessages } from './logging.contract';
import type { Message } from './message';
import { SearchMessages } from './search.contract';

/** A message an outbox may deliver several at a time, and the message that takes them as `{ items }`. */
const batched = <Req>(one: Message<Req, unknown>, many: Message<{ items: Req[] }, unknown>) =>
  [one.pattern, many.pattern] as const;

/**
 * Patterns whose messages an outbox may deliver several at a time, and the pattern that takes
 * them as `{ items: [...] }`. Receivers handle each item exactly as the single message.
 */
export const BATCH_PATTERNS: Readonly<Record<string, string>> = Object.fromEntries([
  batched(LoggingMessages.record, LoggingMessages.recordBatch),
  batched(LoggingMessages.recordSearch, LoggingMessages.recordSearches),
  batched(SearchMessages.productChanged, SearchMessages.productsChanged),
]);
