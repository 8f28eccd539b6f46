import type { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dialectOf } from '@mfm/platform/database/dialect';
import { PgSearchIndex } from './pg-search-index';
import { SEARCH_INDEX, SearchIndex } from './search-index';
import { SqliteSearchIndex } from './sqlite-search-index';

/** The search index of the module's database engine, chosen once at start. */
export const searchIndexProvider: Provider = {
  provide: SEARCH_INDEX,
  inject: [getDataSourceToken('search')],
  useFactory: (db: DataSource): SearchIndex =>
    dialectOf(db) === 'postgres' ? new PgSearchIndex(db) : new SqliteSearchIndex(db),
};
