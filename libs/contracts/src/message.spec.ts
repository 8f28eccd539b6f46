import { LoggingMessages } from './logging.contract';
import type { Message } from './message';
import { OrdersMessages } from './orders.contract';
import { BATCH_PATTERNS } from './outbox-batches';
import { ProductsMessages } from './products.contract';
import { SearchMessages } from './search.contract';
import { UsersMessages } from './users.contract';

const ALL: Array<Message<unknown, unknown>> = [
  UsersMessages,
  ProductsMessages,
  SearchMessages,
  OrdersMessages,
  LoggingMessages,
].flatMap((messages) => Object.values(messages));

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
