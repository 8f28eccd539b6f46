import { LoggingPatterns } from './logging.contract';
import { SearchPatterns } from './search.contract';

/**
 * Patterns whose messages an outbox may deliver several at a time, and the pattern that takes
 * them as `{ items: [...] }`. Receivers handle each item exactly as the single message.
 */
export const BATCH_PATTERNS: Readonly<Record<string, string>> = {
  [LoggingPatterns.record]: LoggingPatterns.recordBatch,
  [SearchPatterns.productChanged]: SearchPatterns.productsChanged,
};
