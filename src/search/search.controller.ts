import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Inject } from '@nestjs/common';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, OptionalAuth } from '@mfm/platform/auth/auth.decorators';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { SearchLimits } from './rate-limits';
import { SearchQuery } from './dto/search.query';
import { ReindexJobResponse, SearchResponse } from './dto/search.response';
import { SEARCH_JSON_SCHEMA } from './dto/search.schema';
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
  @RateLimit(SearchLimits.search)
  @ApiOperation({
    operationId: 'searchProducts',
    summary: 'Full-text product search with filters, sorts, paging and category facets',
    description:
      'Words in any order, prefix matching, case- and accent-insensitive; name matches rank above description matches. ' +
      'With the default engine (SEARCH_ENGINE=memory) also typo-tolerant (one typo from 5 letters, two from 9, for a word that is neither a word nor the start of one in the catalogue) and with the synonyms employees manage. ' +
      'A signed-in caller’s search is recorded in their audit history (kept AUDIT_RETENTION_DAYS, 30 days by default); anonymous searches are not recorded.',
  })
  @ApiOkResponse({ type: SearchResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, PlatformErrors.TOO_MANY_REQUESTS)
  @RouteSchema({ response: { 200: SEARCH_JSON_SCHEMA } })
  search(
    @Query() query: SearchQuery,
    @CurrentUser() caller: VerifiedUser | undefined,
  ): Promise<SearchResponse> {
    return this.searches.search(query, caller);
  }

  @Post('reindex')
  @Auth('employee')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'reindexSearch',
    summary: 'Start rebuilding the search index from the products module',
    description:
      'The rebuild runs in the background: the answer is the job (already running if one was). ' +
      'Follow it with GET /api/search/reindex; searches keep answering from the index meanwhile.',
  })
  @ApiAcceptedResponse({ type: ReindexJobResponse })
  reindex(@CurrentUser() caller: VerifiedUser): ReindexJobResponse {
    return this.rebuild.start((indexed) =>
      this.outbox.write((_manager, out) =>
        out.audit({
          type: 'search_reindexed',
          actor: { userId: caller.userId, username: caller.username },
          subject: { kind: 'search', id: 'catalogue', name: 'search index' },
          payload: { indexed },
        }),
      ),
    ).job;
  }

  @Get('reindex')
  @Auth('employee')
  @ApiOperation({
    operationId: 'reindexStatus',
    summary: 'The running rebuild of the search index and its progress, or how the last one ended',
  })
  @ApiOkResponse({ type: ReindexJobResponse })
  reindexStatus(): ReindexJobResponse {
    return this.rebuild.job;
  }
}
