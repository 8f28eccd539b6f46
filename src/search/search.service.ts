import { Inject, Injectable, Logger } from '@nestjs/common';
import { LoggingClient } from '@mfm/contracts/logging.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Outbox } from '@mfm/platform/outbox/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { SearchQuery } from './dto/search.query';
import { SearchResponse } from './dto/search.response';
import { SearchIndexService } from './search-index.service';

const METADATA_TIMEOUT_MS = 500;

/** A search: the index answers, the audit log adds who last touched each hit, the search is logged. */
@Injectable()
export class SearchService {
  private readonly logger = new Logger(SearchService.name);

  constructor(
    private readonly index: SearchIndexService,
    private readonly logging: LoggingClient,
    @Inject(outboxToken('search')) private readonly outbox: Outbox,
  ) {}

  async search(query: SearchQuery, caller: VerifiedUser | undefined): Promise<SearchResponse> {
    const sort = query.sort ?? (query.q?.trim() ? 'relevance' : 'name');
    const result = await this.index.search({ ...query, sort });
    const metadata = await this.lastModified(result.items.map((hit) => hit.id));
    await this.outbox.write(async (_manager, out) =>
      out.audit({
        type: 'search',
        actor: caller ? { userId: caller.userId, username: caller.username } : undefined,
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
      }),
    );
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

  /** One batched call per page; a search still answers (without metadata) when logging is down. */
  private async lastModified(
    productIds: string[],
  ): Promise<Map<string, { username: string | null; at: string }> | undefined> {
    if (productIds.length === 0) return new Map();
    try {
      const reply = await this.logging.lastModified({ productIds }, METADATA_TIMEOUT_MS);
      return new Map(
        reply.items.map((item) => [item.productId, { username: item.username, at: item.at }]),
      );
    } catch (error) {
      this.logger.warn({ msg: 'search metadata unavailable', error: (error as Error).message });
      return undefined;
    }
  }
}
