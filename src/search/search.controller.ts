import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Inject } from '@nestjs/common';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, OptionalAuth } from '@mfm/platform/auth/auth.decorators';
import { Outbox } from '@mfm/platform/outbox/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { SearchQuery } from './dto/search.query';
import { ReindexResponse, SearchResponse } from './dto/search.response';
import { IndexRebuildService } from './index-rebuild.service';
import { SearchService } from './search.service';

@ApiTags('search')
@Controller('api/search')
export class SearchController {
  constructor(
    private readonly searches: SearchService,
    private readonly rebuild: IndexRebuildService,
    @Inject(outboxToken('search')) private readonly outbox: Outbox,
  ) {}

  @Get()
  @OptionalAuth()
  @RateLimit('search')
  @ApiOperation({
    operationId: 'searchProducts',
    summary: 'Full-text product search with filters, sorts, paging and category facets',
    description:
      'Words in any order, prefix matching, case- and accent-insensitive; name matches rank above description matches. ' +
      'A signed-in caller’s search is recorded in their audit history (kept AUDIT_RETENTION_DAYS, 30 days by default); anonymous searches are not recorded.',
  })
  @ApiOkResponse({ type: SearchResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, PlatformErrors.TOO_MANY_REQUESTS)
  search(
    @Query() query: SearchQuery,
    @CurrentUser() caller: VerifiedUser | undefined,
  ): Promise<SearchResponse> {
    return this.searches.search(query, caller);
  }

  @Post('reindex')
  @Auth('employee')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reindexSearch',
    summary: 'Rebuild the search index from the products module',
  })
  @ApiOkResponse({ type: ReindexResponse })
  async reindex(@CurrentUser() caller: VerifiedUser): Promise<ReindexResponse> {
    const indexed = await this.rebuild.rebuild();
    await this.outbox.write((_manager, out) =>
      out.audit({
        type: 'search_reindexed',
        actor: { userId: caller.userId, username: caller.username },
        subject: { kind: 'search', id: 'catalogue', name: 'search index' },
        payload: { indexed },
      }),
    );
    return { indexed };
  }
}
