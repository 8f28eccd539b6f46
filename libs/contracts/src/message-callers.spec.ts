import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CallerPolicy } from '@mfm/platform/bus/caller-policy';
import { MODULE_NAMES, ModuleName } from '@mfm/platform/topology/module-names';
import {
  LoggingMessages,
  SEARCH_EVENT_TYPES,
  SearchEventInput,
  auditMessage,
} from './logging.contract';
import { ALL_MESSAGES } from './all-messages.spec-helper';
import { MESSAGE_CALLERS, PLATFORM_MESSAGE_NAMES } from './message-callers';
import { MODULE_PEERS } from './module-peers';
import { ProductsMessages } from './products.contract';
import { SearchMessages } from './search.contract';
import { UsersMessages } from './users.contract';

const ALL = ALL_MESSAGES;

/** Modules a module reaches without a typed client: what its outbox delivers. */
const OUTBOX_ONLY: Partial<Record<ModuleName, ModuleName[]>> = { products: ['search'] };

const policy = new CallerPolicy(MESSAGE_CALLERS);

describe('MESSAGE_CALLERS', () => {
  it('names the callers of every message, and only modules', () => {
    for (const m of ALL)
      expect({ [m.pattern]: MESSAGE_CALLERS[m.pattern]?.length }).not.toEqual({
        [m.pattern]: undefined,
      });
    for (const callers of Object.values(MESSAGE_CALLERS))
      for (const caller of callers) expect(MODULE_NAMES).toContain(caller);
  });

  it('agrees with MODULE_PEERS: a module calls other modules only where it has a client or an outbox delivery, and each of its clients has a message it may send', () => {
    for (const caller of MODULE_NAMES) {
      const reached = new Set(
        ALL.filter((m) => m.module !== caller && policy.allows(m.pattern, caller)).map(
          (m) => m.module,
        ),
      );
      expect({ caller, reached: [...reached].sort() }).toEqual({
        caller,
        reached: [...new Set([...MODULE_PEERS[caller], ...(OUTBOX_ONLY[caller] ?? [])])].sort(),
      });
    }
  });

  it("refuses the search module's key what only others send: personal data, audit events, stock, catalogue entries", () => {
    for (const pattern of [
      UsersMessages.contact.pattern,
      LoggingMessages.record.pattern,
      LoggingMessages.recordBatch.pattern,
      ProductsMessages.releaseStock.pattern,
      ProductsMessages.reserveStock.pattern,
      SearchMessages.productsChanged.pattern,
      SearchMessages.productChanged.pattern,
    ])
      expect({ pattern, allowed: policy.allows(pattern, 'search') }).toEqual({
        pattern,
        allowed: false,
      });
    expect(policy.allows(ProductsMessages.releaseStock.pattern, 'orders')).toBe(true);
    expect(policy.allows(SearchMessages.productsChanged.pattern, 'products')).toBe(true);
    expect(policy.allows(UsersMessages.contact.pattern, 'orders')).toBe(true);
  });

  it('lets every module send the platform messages of every module (ping, status, openapi), and nothing unnamed', () => {
    for (const module of MODULE_NAMES)
      for (const name of PLATFORM_MESSAGE_NAMES)
        for (const caller of MODULE_NAMES)
          expect(policy.allows(`${module}.${name}`, caller)).toBe(true);
    expect(policy.allows('users.no_such_message', 'users')).toBe(false);
    expect(policy.allows('constructor', 'users')).toBe(false);
    expect(policy.allows(UsersMessages.verifyToken.pattern, 'gateway')).toBe(false);
  });
});

describe('search events', () => {
  const event = (type: string, kind: string) => ({
    eventId: '3f0c1d0e-6a52-4a8e-9d1e-2b9d8f6c1a77',
    type,
    subject: { kind, id: 'catalogue' },
    occurredAt: '2026-01-01T00:00:00.000Z',
  });

  it('go to their own message; every other event to logging.record', () => {
    for (const type of SEARCH_EVENT_TYPES) {
      const search = auditMessage({ type, subject: { kind: 'search', id: 'x' } }, 'r');
      expect({ type, message: search.message }).toEqual({
        type,
        message: LoggingMessages.recordSearch,
      });
    }
    const edit = auditMessage(
      { type: 'product_updated', subject: { kind: 'product', id: 'x' } },
      'r',
    );
    expect(edit.message).toBe(LoggingMessages.record);
  });

  it('are the only events the search messages take', () => {
    const errors = (plain: object) =>
      validateSync(plainToInstance(SearchEventInput, plain)).map((e) => e.property);
    expect(errors(event('search', 'search'))).toEqual([]);
    expect(errors(event('search_synonyms_changed', 'search'))).toEqual([]);
    expect(errors(event('search_reindexed', 'search'))).toEqual([]);
    expect(errors(event('order_placed', 'search'))).toEqual(['type']);
    expect(errors(event('search', 'order'))).toEqual(['subject']);
  });
});
