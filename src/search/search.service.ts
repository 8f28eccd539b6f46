import { Injectable, Logger } from '@nestjs/common';
import { LoggingClient } from '@mfm/contracts/logging.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { SearchQuery } from './dto/search.query';
import { SearchResponse } from './dto/search.response';
import { SearchIndexService } from './search-index.service';
import { SearchEventBatcher } from './search-events.batcher';

const METADATA_TIMEOUT_MS = 500;
const METADATA_TTL_MS = 2000;

type Modified = { username: string | null; at: string };

/** A search: the index answers, the audit log adds who last touched each hit, the search is logged. */
@Injectable()
export class SearchService {
  private readonly logger = new Logger(SearchService.name);

  private known: { generation: number; until: number; entries: Map<string, Modified | null> } = {
    generation: -1,
    until: 0,
    entries: new Map(),
  };

  constructor(
    private readonly index: SearchIndexService,
    private readonly logging: LoggingClient,
    private readonly events: SearchEventBatcher,
  ) {}

  async search(query: SearchQuery, caller: VerifiedUser | undefined): Promise<SearchResponse> {
    const sort = query.sort ?? (query.q?.trim() ? 'relevance' : 'name');
    const result = await this.index.search({ ...query, sort });
    const metadata = await this.lastModified(result.items.map((hit) => hit.id));
    // A signed-in shopper's searches are part of their history. Anonymous searches are not
    // recorded: they change nothing, and anyone could fill the disk with them.
    // Committed in a group with other searches; not waiting for the log (SearchEventBatcher).
    if (caller) {
      await this.events.record({
        type: 'search',
        actor: { userId: caller.userId, username: caller.username },
        subject: { kind: 'search', id: 'catalogue', name: (query.q ?? '').slice(0, 200) },
        payload: {
          q: query.q ?? '',
          category: query.category,
          minPrice: query.minPrice,
          maxPrice: query.maxPrice,
          inStock: query.inStock,
          sort,
          page: query.page,
          total: result.total,
        },
      });
    }
    return {
      items: result.items.map((hit) => ({
        ...hit,
        inStock: hit.stock > 0,
        lastModifiedBy: metadata?.get(hit.id)?.username ?? null,
        lastModifiedAt: metadata?.get(hit.id)?.at ?? null,
      })),
      total: result.total,
      page: query.page,
      limit: query.limit,
      facets: result.facets,
      metadataComplete: metadata !== undefined,
    };
  }

  /**
   * One batched call per page, for the hits not known already; a search still answers (without
   * metadata) when logging is down. Known answers are kept until the index changes (every
   * creation or edit of a product changes it) and at most METADATA_TTL_MS, which bounds how long
   * an edit whose audit event reached logging after its search document can show stale metadata.
   */
  private async lastModified(productIds: string[]): Promise<Map<string, Modified> | undefined> {
    if (this.known.generation !== this.index.generation || Date.now() > this.known.until) {
      this.known = {
        generation: this.index.generation,
        until: Date.now() + METADATA_TTL_MS,
        entries: new Map(),
      };
    }
    const known = this.known.entries;
    const missing = productIds.filter((id) => !known.has(id));
    try {
      if (missing.length > 0) {
        const reply = await this.logging.lastModified({ productIds: missing }, METADATA_TIMEOUT_MS);
        const found = new Map(
          reply.items.map((item) => [item.productId, { username: item.username, at: item.at }]),
        );
        for (const id of missing) known.set(id, found.get(id) ?? null);
      }
      return new Map(
        productIds.flatMap((id) => (known.get(id) ? [[id, known.get(id) as Modified]] : [])),
      );
    } catch (error) {
      this.logger.warn({ msg: 'search metadata unavailable', error: (error as Error).message });
      return undefined;
    }
  }
}
