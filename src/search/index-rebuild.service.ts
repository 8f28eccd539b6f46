import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ProductsClient } from '@mfm/contracts/products.contract';
import type { ProductDocument } from '@mfm/contracts/search.contract';
import { SearchIndexService } from './search-index.service';

/** The largest page products.list_page gives. */
const PAGE_SIZE = 1000;
const RETRY_MS = 1000;

/** A rebuild: running, or how the last one ended. */
export interface RebuildJob {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** Products read from the catalogue so far (all of them once done). */
  read: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the last rebuild failed. */
  error: string | null;
}

/**
 * Rebuilds the index from the products module (paging products.list_page): on first start, when
 * the index is empty, and on demand, in the background with its progress. The whole rebuild is one
 * bulk load (SearchIndexService.applyAll). Safe while product events arrive: the index keeps the
 * highest revision of each product, whichever way it came.
 */
@Injectable()
export class IndexRebuildService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IndexRebuildService.name);
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private current: RebuildJob = {
    state: 'idle',
    read: 0,
    startedAt: null,
    finishedAt: null,
    error: null,
  };
  private running?: Promise<number>;
  private firstPageAt?: number;

  constructor(
    private readonly index: SearchIndexService,
    private readonly products: ProductsClient,
  ) {
    index.whenFoundEmpty(() => this.rebuildInBackground());
  }

  /** Before the store answers: an empty index starts its rebuild, the memory index loads. */
  async onApplicationBootstrap(): Promise<void> {
    await this.index.start();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  /** The running rebuild, or how the last one ended. */
  get job(): RebuildJob {
    return { ...this.current };
  }

  /**
   * Starts a rebuild unless one is running; either way answers the job at once. `done` is called
   * with the number of products read when this rebuild (not one already running) succeeds.
   */
  start(done?: (read: number) => Promise<void>): { job: RebuildJob; started: boolean } {
    if (this.running) return { job: this.job, started: false };
    this.current = {
      state: 'running',
      read: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    this.running = this.index.applyAll(this.pages(), (read) => (this.current.read = read));
    this.running
      .then(
        async (read) => {
          this.current = {
            ...this.current,
            state: 'done',
            read,
            finishedAt: new Date().toISOString(),
          };
          this.logger.log({
            msg: `search index built from ${read} products`,
            // From the first page read to the commit (not the wait for products to answer).
            durationMs: this.firstPageAt === undefined ? undefined : Date.now() - this.firstPageAt,
          });
          await done?.(read);
        },
        (error: unknown) => {
          this.current = {
            ...this.current,
            state: 'failed',
            finishedAt: new Date().toISOString(),
            error: (error as Error).message,
          };
          throw error;
        },
      )
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
    return { job: this.job, started: true };
  }

  /** Reads every product and applies it; returns how many products were read. */
  async rebuild(): Promise<number> {
    this.start();
    return (await this.running) ?? this.current.read;
  }

  private async *pages(): AsyncGenerator<ProductDocument[]> {
    let afterId: string | undefined;
    this.firstPageAt = undefined;
    do {
      // A rebuild cut short by a shutdown rolls back: the next start finds the index as it was.
      if (this.stopped) throw new Error('the search module is shutting down');
      const page = await this.products.listPage({ afterId, limit: PAGE_SIZE });
      this.firstPageAt ??= Date.now();
      yield page.items;
      afterId = page.nextAfterId ?? undefined;
    } while (afterId);
  }

  /** At first start in split mode products may not be up yet: keep trying until it is. */
  private rebuildInBackground(): void {
    this.rebuild().then(
      () => undefined,
      (error: unknown) => {
        if (this.stopped) return;
        this.logger.warn({
          msg: `search index rebuild failed, retrying: ${(error as Error).message}`,
        });
        this.retry = setTimeout(() => this.rebuildInBackground(), RETRY_MS);
      },
    );
  }
}
