import { Module } from '@nestjs/common';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { SearchClassicAdapter } from './classic/search-classic.adapter';
import { IndexRebuildService } from './index-rebuild.service';
import { searchIndexProvider } from './search-index.provider';
import { SEARCH_ENTITIES, SEARCH_MIGRATIONS } from './search-schema';
import { SEARCH_SYNONYMS, SearchIndexService } from './search-index.service';
import { SearchController } from './search.controller';
import { SearchHandlers } from './search.handlers';
import { SearchService } from './search.service';
import { SearchEventBatcher } from './search-events.batcher';
import { SynonymsController } from './synonyms/synonyms.controller';
import { SynonymsService } from './synonyms/synonyms.service';

/** Full-text search over its own index, fed by product events from the products module. */
@Module({
  imports: [
    moduleDatabase('search', {
      entities: SEARCH_ENTITIES,
      migrations: SEARCH_MIGRATIONS,
    }),
  ],
  controllers: [SearchController, SynonymsController, SearchHandlers],
  providers: [
    ...peerClients('search'),
    searchIndexProvider,
    SearchIndexService,
    SearchService,
    SearchEventBatcher,
    IndexRebuildService,
    SynonymsService,
    { provide: SEARCH_SYNONYMS, useExisting: SynonymsService },
    outboxProvider('search'),
    rateLimitsProvider('search'),
    SearchClassicAdapter,
    { provide: classicAdapterToken('search'), useExisting: SearchClassicAdapter },
  ],
})
export class SearchModule {}
