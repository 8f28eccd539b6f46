import type { IndexQuery, IndexResult, IndexedProduct } from '../search-index';
import { MemoryIndex, type SynonymLookup } from './memory-index';

/**
 * The in-memory index a search module answers from, replaced whole when it is loaded again (at
 * start, after a rebuild or a clear another replica made). Changes applied while a load runs go
 * to the index being answered from and are replayed on the loaded one before it takes over, so
 * none is lost between the two; the highest revision of a product wins either way.
 */
export class LiveIndex {
  private current = new MemoryIndex();
  private duringLoad?: IndexedProduct[];
  /** A clear while a load ran: what the load read may predate it. */
  private clearedDuringLoad = false;
  private loading: Promise<void> = Promise.resolve();

  get size(): number {
    return this.current.size;
  }

  put(products: readonly IndexedProduct[]): void {
    for (const product of products) this.current.put(product);
    this.duringLoad?.push(...products);
  }

  /** Every product: `pages` yields them all; loads run one after another. */
  load(pages: AsyncIterable<IndexedProduct[]>): Promise<void> {
    const run = this.loading.then(async () => {
      this.duringLoad = [];
      this.clearedDuringLoad = false;
      try {
        let next = new MemoryIndex();
        for await (const page of pages) for (const product of page) next.put(product);
        if (this.clearedDuringLoad) next = new MemoryIndex();
        for (const product of this.duringLoad) next.put(product);
        next.trim();
        this.current = next;
      } finally {
        this.duringLoad = undefined;
      }
    });
    this.loading = run.catch(() => undefined);
    return run;
  }

  clear(): void {
    this.current = new MemoryIndex();
    if (this.duringLoad) {
      this.duringLoad.length = 0;
      this.clearedDuringLoad = true;
    }
  }

  search(query: IndexQuery, synonyms?: SynonymLookup): IndexResult {
    return this.current.search(query, synonyms);
  }
}
