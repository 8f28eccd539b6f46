import { Inject, Injectable } from '@nestjs/common';
import { LoggingClient } from '@mfm/contracts/logging.contract';
import { UsersClient } from '@mfm/contracts/users.contract';
import {
  CLASSIC_NULL,
  ClassicAdapter,
  ClassicRequest,
  ClassicRoute,
} from '@mfm/platform/classic/classic-http';
import { classicCaller, classicCategory } from '@mfm/platform/classic/classic-fields';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import type { IndexHit } from '../search-index';
import { SearchIndexService } from '../search-index.service';

const PAGE = 500;
/** A classic search returns every match; this bounds one answer. */
const MAX_PAGES = 20;

/**
 * The original search service (port 9002) over the search module's index: exact product name
 * (ignoring case) or exact category, `last_mod` from the audit log (LoggingClient.lastModified),
 * and a `search` audit event for every search that found something.
 */
@Injectable()
export class SearchClassicAdapter implements ClassicAdapter {
  readonly module = 'search' as const;

  constructor(
    private readonly index: SearchIndexService,
    private readonly users: UsersClient,
    private readonly logging: LoggingClient,
    @Inject(outboxToken('search')) private readonly outbox: Outbox,
  ) {}

  routes(): ClassicRoute[] {
    return [{ method: 'GET', path: '/search', handle: (r) => this.search(r) }];
  }

  /** 1 with the matches; 2 bad token; 3 nothing matched (or neither parameter given). */
  async search({ fields, token }: ClassicRequest): Promise<Record<string, unknown>> {
    const caller = await classicCaller(this.users, token);
    if (!caller) return { status: 2, data: CLASSIC_NULL };
    const name = fields.product_name?.trim();
    const category = fields.category !== undefined ? classicCategory(fields.category) : undefined;
    let hits: IndexHit[] = [];
    if (name) {
      const key = name.toLowerCase();
      hits = (await this.all({ q: name })).filter((hit) => hit.name.toLowerCase() === key);
    } else if (category) {
      hits = await this.all({ category });
    }
    if (hits.length === 0) return { status: 3, data: CLASSIC_NULL };

    const reply = await this.logging.lastModified({ productIds: hits.map((hit) => hit.id) });
    const lastMod = new Map(reply.items.map((item) => [item.productId, item.username]));
    const term = name || (fields.category ?? '');
    await this.outbox.write(async (_manager, out) =>
      out.audit({
        type: 'search',
        actor: { userId: caller.userId, username: caller.username },
        subject: { kind: 'search', id: 'catalogue', name: term.slice(0, 200) },
        payload: {
          classic: true,
          ...(name ? { q: name } : { category }),
          total: hits.length,
        },
      }),
    );
    return {
      status: 1,
      data: hits.map((hit) => ({
        product_name: hit.name,
        price: hit.priceCents / 100,
        category: hit.category,
        last_mod: lastMod.get(hit.id) ?? CLASSIC_NULL,
      })),
    };
  }

  /** The search module's index is a read model: clearing it forgets every product it holds. */
  clear(): Promise<void> {
    return this.index.clear();
  }

  private async all(filter: { q?: string; category?: string }): Promise<IndexHit[]> {
    const hits: IndexHit[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await this.index.search({ ...filter, sort: 'name', page, limit: PAGE });
      hits.push(...result.items);
      if (hits.length >= result.total || result.items.length < PAGE) break;
    }
    return hits;
  }
}
