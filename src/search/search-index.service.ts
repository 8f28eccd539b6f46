import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { APP_CONFIG, type AppConfig } from '@mfm/platform/config/app-config';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { LiveIndex } from './engine/live-index';
import { bumpSearchVersion } from './search-version';
import {
  IndexQuery,
  IndexResult,
  IndexedProduct,
  SEARCH_INDEX,
  type SearchIndex,
} from './search-index';

const RESULT_CACHE_SIZE = 1000;
/** Stored products read per query when the memory index loads. */
const LOAD_PAGE = 5000;

/** The synonym groups employees manage: the other words a typed word also finds. */
export interface SynonymSource {
  expand(word: string): readonly string[];
  /** Reads them again (another replica changed them). */
  reload(): Promise<void>;
}
/** Injection token of the module's SynonymSource. */
export const SEARCH_SYNONYMS = 'SEARCH_SYNONYMS';

/**
 * The search module's own index (read model): applied product changes in, ranked hits out.
 * Changes are stored in the module's database (search_product), the source of truth that a
 * restart, a rebuild and every replica read. Searches are answered by the engine the
 * configuration picks:
 * - `memory` (default): an index of the stored products in this process's memory (engine/),
 *   loaded at start and changed with every applied change after it commits;
 * - `sql`: the database's full-text index (the SearchIndex strategy: SQLite FTS5 or a PostgreSQL
 *   tsvector), with a cache of recent answers.
 */
@Injectable()
export class SearchIndexService {
  private readonly logger = new Logger(SearchIndexService.name);
  private readonly memory?: LiveIndex;

  constructor(
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
    @Inject(transactionRunnerToken('search')) private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'search'>,
    @Optional() @Inject(SEARCH_SYNONYMS) private readonly synonyms?: SynonymSource,
  ) {
    if (config.search.engine === 'memory') this.memory = new LiveIndex();
  }

  /**
   * Answers of recent searches (the SQL engine), dropped as soon as the index changes: an FTS
   * query with facets over 100,000 products costs tens of milliseconds.
   */
  private readonly cache = new Map<string, Promise<IndexResult>>();
  /** Grows with every change of the index; callers caching derived data compare it. */
  generation = 0;
  /**
   * PostgreSQL: the shared index version this replica's answers are at (search_index_state).
   * Replicas share the stored index, so each search reads the version first (one primary-key
   * lookup) and, when another replica changed the index since, drops the cache or reads the
   * changed products into memory.
   */
  private seen?: number;
  private catchingUp?: Promise<void>;
  /** One process owns the index (SQLite): there is never anything to catch up with. */
  private unshared = false;
  private emptyCheck?: Promise<void>;
  private onFoundEmpty?: () => void;

  /** Runs once when the index is first found empty in this process (IndexRebuildService). */
  whenFoundEmpty(react: () => void): void {
    this.onFoundEmpty = react;
  }

  /**
   * At start: looks whether the stored index is empty (a rebuild follows) and loads the memory
   * index from it.
   */
  async start(): Promise<void> {
    await this.checkEmptyOnce();
    await this.loadMemory();
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
      await bumpSearchVersion(manager);
      const changed: ProductDocument[] = [];
      for (const doc of documents)
        if ((await this.index.upsert(manager, doc)) > 0) changed.push(doc);
      return changed;
    });
    this.memory?.put(applied);
    if (applied.length > 0) this.changed();
    return applied.length;
  }

  /**
   * Every product at once (a rebuild), in one transaction (the index's bulk load), then into
   * memory. Changes arriving meanwhile wait in the write queue and are applied after it (the
   * highest revision wins either way).
   */
  async applyAll(
    pages: AsyncIterable<ProductDocument[]>,
    progress: (read: number) => void = () => undefined,
  ): Promise<number> {
    const read = await this.tx.run(async (manager) => {
      await bumpSearchVersion(manager);
      return this.index.bulkLoad(manager, pages, progress);
    });
    await this.loadMemory();
    this.changed();
    return read;
  }

  /** Forgets every product (the classic profile's /clear); the FTS rows follow through the delete trigger. */
  async clear(): Promise<void> {
    await this.tx.run(async (manager) => {
      await bumpSearchVersion(manager);
      await manager.query(
        'UPDATE search_index_state SET "clearedVersion" = "version" WHERE "id" = 1',
      );
      await manager.query('DELETE FROM search_product');
    });
    this.memory?.clear();
    this.changed();
  }

  /** Reads every stored product into a new memory index. */
  private async loadMemory(): Promise<void> {
    if (!this.memory) return;
    const started = Date.now();
    const state = await this.index.sharedState();
    await this.memory.load(this.storedPages());
    this.logger.log({
      msg: `search index loaded into memory: ${this.memory.size} products`,
      durationMs: Date.now() - started,
    });
    // Changes committed during the load are read again at the next search: harmless.
    if (state) this.seen = state.version;
  }

  private async *storedPages(): AsyncGenerator<IndexedProduct[]> {
    let afterId: string | undefined;
    for (;;) {
      const page = await this.index.storedPage(afterId, LOAD_PAGE);
      if (page.length === 0) return;
      yield page;
      afterId = page[page.length - 1].id;
    }
  }

  /** Follows what other replicas changed in the shared index since this one last looked (PostgreSQL). */
  private async catchUp(): Promise<void> {
    if (this.unshared) return;
    this.catchingUp ??= (async () => {
      const state = await this.index.sharedState();
      if (!state) this.unshared = true;
      if (!state || state.version === this.seen) return;
      const seen = this.seen;
      if (this.memory && seen !== undefined) {
        if (state.clearedVersion > seen) await this.loadMemory();
        else this.memory.put(await this.index.changedSince(seen));
      }
      await this.synonyms?.reload();
      this.seen = state.version;
      if (seen !== undefined) this.changed();
    })().finally(() => (this.catchingUp = undefined));
    await this.catchingUp;
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
    await this.catchUp();
    if (this.memory) return this.memory.search(query, (word) => this.synonyms?.expand(word) ?? []);
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
