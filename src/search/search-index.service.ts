import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { IndexQuery, IndexResult, SEARCH_INDEX, type SearchIndex } from './search-index';

const RESULT_CACHE_SIZE = 1000;

/**
 * The search module's own index (read model): applied product changes in, ranked hits out, with
 * a cache of recent answers. The engine's SQL is the SearchIndex strategy's (SQLite FTS5 or a
 * PostgreSQL tsvector); what is here holds for both.
 */
@Injectable()
export class SearchIndexService {
  constructor(
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
    @Inject(transactionRunnerToken('search')) private readonly tx: TransactionRunner,
  ) {}

  /**
   * Answers of recent searches, dropped as soon as the index changes: many shoppers type the same
   * queries, and an FTS query with facets over 100,000 products costs tens of milliseconds.
   */
  private readonly cache = new Map<string, Promise<IndexResult>>();
  /** Grows with every change of the index; callers caching derived data compare it. */
  generation = 0;
  /**
   * PostgreSQL: the index version the cache was filled at (search_index_state). Replicas share
   * the index, so each search reads the version first (one primary-key lookup) and drops the
   * cache when another replica changed the index since.
   */
  private cachedVersion?: string;
  private emptyCheck?: Promise<void>;
  private onFoundEmpty?: () => void;

  /** Runs once when the index is first found empty in this process (IndexRebuildService). */
  whenFoundEmpty(react: () => void): void {
    this.onFoundEmpty = react;
  }

  /**
   * Looks once whether the index is empty: at start, or before the first change this process
   * applies, whichever comes first. Product events replayed at start (a restored store) must not
   * hide an empty index from the rebuild by landing in it first.
   */
  checkEmptyOnce(): Promise<void> {
    this.emptyCheck ??= this.index.count().then((n) => {
      if (n === 0) this.onFoundEmpty?.();
    });
    return this.emptyCheck;
  }

  /** Applies a product document unless the index already holds this revision or a newer one. */
  async apply(documents: ProductDocument[]): Promise<number> {
    await this.checkEmptyOnce();
    const applied = await this.tx.run(async (manager) => {
      let changed = 0;
      for (const doc of documents) changed += await this.index.upsert(manager, doc);
      if (changed > 0) await this.bumpVersion(manager);
      return changed;
    });
    if (applied > 0) this.changed();
    return applied;
  }

  /**
   * Every product at once (a rebuild), in one transaction (the index's bulk load). Changes arriving meanwhile wait
   * in the write queue and are applied after it (the highest revision wins either way).
   */
  async applyAll(
    pages: AsyncIterable<ProductDocument[]>,
    progress: (read: number) => void = () => undefined,
  ): Promise<number> {
    const read = await this.tx.run(async (manager) => {
      const n = await this.index.bulkLoad(manager, pages, progress);
      await this.bumpVersion(manager);
      return n;
    });
    this.changed();
    return read;
  }

  /** Forgets every product (the classic profile's /clear); the FTS rows follow through the delete trigger. */
  async clear(): Promise<void> {
    await this.tx.run(async (manager) => {
      await manager.query('DELETE FROM search_product');
      await this.bumpVersion(manager);
    });
    this.changed();
  }

  /** In the transaction that changes the index: other replicas' caches are stale from its commit on. */
  private async bumpVersion(manager: EntityManager): Promise<void> {
    await manager.query('UPDATE search_index_state SET "version" = "version" + 1 WHERE "id" = 1');
  }

  /** Drops this replica's cache if the shared index changed since it was filled (PostgreSQL). */
  private async checkVersion(): Promise<void> {
    const version = await this.index.sharedVersion();
    if (version !== this.cachedVersion) {
      if (this.cachedVersion !== undefined) this.changed();
      this.cachedVersion = version;
    }
  }

  /** Whatever was derived from the index before is stale now. */
  private changed(): void {
    this.generation++;
    this.cache.clear();
  }

  count(): Promise<number> {
    return this.index.count();
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    await this.checkVersion();
    const key = JSON.stringify([
      query.q?.trim().toLowerCase() ?? '',
      query.category,
      query.minPrice,
      query.maxPrice,
      query.inStock,
      query.minRating,
      query.sort,
      query.page,
      query.limit,
    ]);
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: the first key is the one to evict.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const generation = this.generation;
    const result = this.index.search(query);
    this.cache.set(key, result);
    if (this.cache.size > RESULT_CACHE_SIZE)
      this.cache.delete(this.cache.keys().next().value as string);
    // A failed query is not remembered, nor one the index changed under.
    result.then(
      () => generation !== this.generation && this.cache.delete(key),
      () => this.cache.delete(key),
    );
    return result;
  }
}
