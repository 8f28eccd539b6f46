import { ALL_MESSAGES } from './all-messages.spec-helper';
import { BATCH_PATTERNS } from './outbox-batches';
import { ProductsMessages } from './products.contract';

const ALL = ALL_MESSAGES;

describe('message descriptors', () => {
  it('give every message its own pattern, named after the module that answers it', () => {
    const patterns = ALL.map((m) => m.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
    for (const m of ALL) expect(m.pattern.startsWith(`${m.module}.`)).toBe(true);
    expect(ProductsMessages.reserveStock.pattern).toBe('products.reserve_stock');
  });

  it('batch audit events and product documents into their batch messages', () => {
    expect(BATCH_PATTERNS).toEqual({
      'logging.record': 'logging.record_batch',
      'logging.record_search': 'logging.record_searches',
      'search.product_changed': 'search.products_changed',
    });
  });
});
