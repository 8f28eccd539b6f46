/**
 * The indexed products' fields that filters and sorts read, one typed array per field, by
 * ordinal: a scan over 100,000 of them touches a few hundred kilobytes, not 100,000 objects.
 * Ordinals of removed products are reused.
 */
export class ProductTable {
  capacity = 0;
  /** One past the highest ordinal ever used. */
  end = 0;
  ids: string[] = [];
  names: string[] = [];
  alive = new Uint8Array(0);
  category = new Uint16Array(0);
  price = new Int32Array(0);
  stock = new Int32Array(0);
  /** NaN for a product without ratings. */
  ratingAverage = new Float64Array(0);
  ratingCount = new Int32Array(0);
  created = new Float64Array(0);
  revision = new Float64Array(0);
  /** Words in the name: a match in a short name says more than one in a long name. */
  nameLength = new Uint8Array(0);
  /**
   * Each product's terms (term id and field bits packed in one number), to take it out of their
   * postings when its text changes: slices of one pool, not 100,000 small arrays.
   */
  private termStart = new Uint32Array(0);
  private termCount = new Uint16Array(0);
  private pool = new Uint32Array(1 << 16);
  private poolEnd = 0;
  private poolGarbage = 0;
  private readonly free: number[] = [];

  /** An ordinal for a new product. */
  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.end === this.capacity) this.grow(Math.max(1024, Math.ceil(this.capacity * 1.5)));
    return this.end++;
  }

  terms(ordinal: number): Uint32Array {
    return this.pool.subarray(
      this.termStart[ordinal],
      this.termStart[ordinal] + this.termCount[ordinal],
    );
  }

  setTerms(ordinal: number, terms: readonly number[]): void {
    this.clearTerms(ordinal);
    if (this.poolEnd + terms.length > this.pool.length) this.compact(terms.length);
    this.pool.set(terms, this.poolEnd);
    this.termStart[ordinal] = this.poolEnd;
    this.termCount[ordinal] = terms.length;
    this.poolEnd += terms.length;
  }

  clearTerms(ordinal: number): void {
    this.poolGarbage += this.termCount[ordinal];
    this.termCount[ordinal] = 0;
  }

  /** The term pool at the size of what it holds (after a load). */
  trim(): void {
    this.compact(0, true);
  }

  /** Drops the slices of replaced texts, growing the pool only when live terms fill half of it. */
  private compact(room: number, exact = false): void {
    const live = this.poolEnd - this.poolGarbage;
    if (this.poolGarbage === 0 && !exact) {
      // Nothing to drop (a load): a plain copy into a pool twice as large.
      const pool = new Uint32Array(2 ** Math.ceil(Math.log2(2 * (live + room))));
      pool.set(this.pool.subarray(0, this.poolEnd));
      this.pool = pool;
      return;
    }
    const size = exact
      ? Math.max(1024, live + room)
      : Math.max(this.pool.length, 2 ** Math.ceil(Math.log2(2 * (live + room))));
    const pool = new Uint32Array(size);
    let end = 0;
    for (let i = 0; i < this.end; i++) {
      const n = this.termCount[i];
      if (n === 0) continue;
      pool.set(this.pool.subarray(this.termStart[i], this.termStart[i] + n), end);
      this.termStart[i] = end;
      end += n;
    }
    this.pool = pool;
    this.poolEnd = end;
    this.poolGarbage = 0;
  }

  release(ordinal: number): void {
    this.alive[ordinal] = 0;
    this.clearTerms(ordinal);
    this.ids[ordinal] = '';
    this.names[ordinal] = '';
    this.free.push(ordinal);
  }

  private grow(capacity: number): void {
    const copy = <T extends { set(from: T): void }>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.alive = copy(this.alive, new Uint8Array(capacity));
    this.category = copy(this.category, new Uint16Array(capacity));
    this.price = copy(this.price, new Int32Array(capacity));
    this.stock = copy(this.stock, new Int32Array(capacity));
    this.ratingAverage = copy(this.ratingAverage, new Float64Array(capacity));
    this.ratingCount = copy(this.ratingCount, new Int32Array(capacity));
    this.created = copy(this.created, new Float64Array(capacity));
    this.revision = copy(this.revision, new Float64Array(capacity));
    this.nameLength = copy(this.nameLength, new Uint8Array(capacity));
    this.termStart = copy(this.termStart, new Uint32Array(capacity));
    this.termCount = copy(this.termCount, new Uint16Array(capacity));
    this.capacity = capacity;
  }
}
