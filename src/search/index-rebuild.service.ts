import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ProductsClient } from '@mfm/contracts/products.contract';
import { SearchIndexService } from './search-index.service';

const PAGE_SIZE = 500;
const RETRY_MS = 1000;

/**
 * Rebuilds the index from the products module (paging products.list_page): on first start, when
 * the index is empty, and on demand. Safe while product events arrive: the index keeps the
 * highest revision of each product, whichever way it came.
 */
@Injectable()
export class IndexRebuildService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IndexRebuildService.name);
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly index: SearchIndexService,
    private readonly products: ProductsClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.index.count()) === 0) this.rebuildInBackground();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  /** Reads every product and applies it; returns how many products were read. */
  async rebuild(): Promise<number> {
    let afterId: string | undefined;
    let read = 0;
    do {
      const page = await this.products.listPage({ afterId, limit: PAGE_SIZE });
      await this.index.apply(page.items);
      read += page.items.length;
      afterId = page.nextAfterId ?? undefined;
    } while (afterId && !this.stopped);
    return read;
  }

  /** At first start in split mode products may not be up yet: keep trying until it is. */
  private rebuildInBackground(): void {
    this.rebuild().then(
      (read) => this.logger.log({ msg: `search index built from ${read} products` }),
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
