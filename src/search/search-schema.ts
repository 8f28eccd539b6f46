import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { SearchInitial1763900000003 } from './migrations/1763900000003-search-initial';
import { SearchIndexVersion1764700000003 } from './migrations/1764700000003-search-index-version';
import { SearchRatings1765000000003 } from './migrations/1765000000003-search-ratings';
import { SearchChangeVersion1766100000003 } from './migrations/1766100000003-search-change-version';
import { SearchSynonyms1767100000003 } from './migrations/1767100000003-search-synonyms';
import { SearchFtsTextChanges1767200000003 } from './migrations/1767200000003-search-fts-text-changes';
import { SearchSynonym } from './synonyms/search-synonym.entity';

/** The search database: its entities and the migrations that build it (the module, its tests, backups). */
export const SEARCH_ENTITIES = [OutboxMessage, SearchSynonym];
export const SEARCH_MIGRATIONS = [
  SearchInitial1763900000003,
  SearchIndexVersion1764700000003,
  SearchRatings1765000000003,
  SearchChangeVersion1766100000003,
  SearchSynonyms1767100000003,
  SearchFtsTextChanges1767200000003,
];

/**
 * The index: a copy of the catalogue, rebuilt from products when empty. A backup keeps it empty,
 * so a restored store rebuilds its index from the restored catalogue instead of serving one taken
 * at another instant. (search_index_state, the index's version counter, keeps its row, and
 * search_synonym, which employees write and nothing rebuilds, keeps all of its rows.)
 */
export const SEARCH_DERIVED_TABLES = ['search_product'] as const;
