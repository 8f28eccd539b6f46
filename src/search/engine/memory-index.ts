import { foldWords } from '../fts-query';
import type { IndexHit, IndexQuery, IndexResult, IndexedProduct } from '../search-index';
import { ProductTable } from './product-table';
import { rankingOrder, topK } from './ranking';
import { FIELD_CATEGORY, FIELD_DESCRIPTION, FIELD_NAME, TermDictionary } from './term-dictionary';

/** The other words of a typed word's synonym groups (folded). */
export type SynonymLookup = (word: string) => readonly string[];

/** At most this many words of a query are searched; more only slow it down. */
const MAX_TERMS = 12;
/** Name matches weigh most, then category, then description (as the SQL strategies' ranks). */
const WEIGHT_NAME = 10;
const WEIGHT_CATEGORY = 4;
const WEIGHT_DESCRIPTION = 1;
/** BM25's length normalisation of the name (a term occurs once per field here). */
const K1 = 1.2;
const B = 0.75;

const noSynonyms: SynonymLookup = () => [];

/**
 * The catalogue's search index in memory: a dictionary of folded words with their postings, the
 * products' filter and sort fields in typed arrays, and a query that scores, filters, counts the
 * category facets and keeps the page's top hits in one pass over the matches. Changes apply in
 * place (a product's old terms leave their postings), so the index follows every edit at once.
 */
export class MemoryIndex {
  private readonly table = new ProductTable();
  private readonly dictionary = new TermDictionary();
  private readonly ordinals = new Map<string, number>();
  private readonly categories: string[] = [];
  private readonly categoryIds = new Map<string, number>();
  private nameTokens = 0;
  /** Name order (lower-case name, then id) as a rank per ordinal; rebuilt after a name changes. */
  private nameRank?: Int32Array;
  // Per-query scratch, sized with the table: which query and term last touched each product.
  private queryMark = new Uint32Array(0);
  private termMark = new Uint32Array(0);
  private matched = new Uint8Array(0);
  private termScore = new Float64Array(0);
  private score = new Float64Array(0);
  private queries = 0;
  private termPasses = 0;
  // Per-product scratch of packedTerms: which product last held each term, in which fields.
  private termMarks = new Uint32Array(0);
  private termFields = new Uint8Array(0);
  private products = 0;
  /** Words in the name of the product packedTerms read last. */
  private nameWords = 0;

  /** Products in the index (archived ones are not). */
  get size(): number {
    return this.ordinals.size;
  }

  /** Gives back the room its arrays grew for changes to come: after a load, most never come. */
  trim(): void {
    this.dictionary.trim();
    this.table.trim();
  }

  /** The revision the index holds of a product, if any. */
  revisionOf(id: string): number | undefined {
    const ordinal = this.ordinals.get(id);
    return ordinal === undefined ? undefined : this.table.revision[ordinal];
  }

  /** Adds, replaces or (archived) removes a product, unless the index holds a newer revision. */
  put(product: IndexedProduct): void {
    const existing = this.ordinals.get(product.id);
    if (existing !== undefined && this.table.revision[existing] > product.revision) return;
    if (product.archived) {
      if (existing !== undefined) this.remove(product.id);
      return;
    }
    const t = this.table;
    const ordinal = existing ?? this.allocate(product.id);
    // Stock and price moves leave the words alone: the postings change only with the text.
    const packed = this.packedTerms(product);
    if (!this.holdsTerms(ordinal, packed)) {
      this.unindex(ordinal);
      this.indexText(ordinal, packed);
    }
    if (t.names[ordinal] !== product.name) this.nameRank = undefined;
    t.ids[ordinal] = product.id;
    t.names[ordinal] = product.name;
    t.category[ordinal] = this.categoryId(product.category);
    t.price[ordinal] = product.priceCents;
    t.stock[ordinal] = product.stock;
    t.ratingAverage[ordinal] = product.ratingAverage ?? NaN;
    t.ratingCount[ordinal] = product.ratingCount ?? 0;
    t.created[ordinal] = Date.parse(product.createdAt);
    t.revision[ordinal] = product.revision;
    t.alive[ordinal] = 1;
  }

  remove(id: string): void {
    const ordinal = this.ordinals.get(id);
    if (ordinal === undefined) return;
    this.unindex(ordinal);
    this.ordinals.delete(id);
    this.table.release(ordinal);
    this.nameRank = undefined;
  }

  search(query: IndexQuery, synonyms: SynonymLookup = noSynonyms): IndexResult {
    const typed = query.q === undefined ? [] : foldWords(query.q.normalize('NFKC'));
    const words = [...new Set(typed.filter(Boolean))].slice(0, MAX_TERMS);
    if (query.q !== undefined && query.q.trim() !== '' && words.length === 0)
      return { items: [], total: 0, facets: [] };
    const candidates = words.length > 0 ? this.match(words, synonyms) : this.everything();
    return this.collect(candidates, query, words.length > 0);
  }

  /** Every live product, unscored: a browse without words. */
  private everything(): Uint32Array {
    const all = new Uint32Array(this.ordinals.size);
    let n = 0;
    for (let i = 0; i < this.table.end; i++) if (this.table.alive[i]) all[n++] = i;
    return all;
  }

  /**
   * The products matching every word, scored into `this.score`. Words are taken rarest first,
   * so later words only visit products that matched every word before them.
   */
  private match(words: string[], synonyms: SynonymLookup): Uint32Array {
    const d = this.dictionary;
    const expanded = words.map((word) => d.expand(word, synonyms(word)));
    if (expanded.some((e) => e.length === 0)) return new Uint32Array(0);
    const reach = (e: (typeof expanded)[number]) =>
      e.reduce((sum, x) => sum + d.frequency(x.term), 0);
    expanded.sort((a, b) => reach(a) - reach(b));

    const t = this.table;
    const query = ++this.queries;
    const count = this.ordinals.size;
    const avgName = this.nameTokens / Math.max(1, count);
    let survivors: Uint32Array = new Uint32Array(0);
    for (let w = 0; w < expanded.length; w++) {
      const pass = ++this.termPasses;
      const touched: number[] = [];
      for (const { term, quality } of expanded[w]) {
        const postings = d.postings[term];
        const df = postings.length;
        const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
        for (let p = 0; p < postings.length; p++) {
          const doc = postings.docs[p];
          if (w > 0 && (this.queryMark[doc] !== query || this.matched[doc] !== w)) continue;
          const fields = postings.fields[p];
          let weight = 0;
          if (fields & FIELD_NAME)
            weight +=
              (WEIGHT_NAME * (K1 + 1)) / (1 + K1 * (1 - B + (B * t.nameLength[doc]) / avgName));
          if (fields & FIELD_CATEGORY) weight += WEIGHT_CATEGORY;
          if (fields & FIELD_DESCRIPTION) weight += WEIGHT_DESCRIPTION;
          const s = weight * idf * quality;
          if (this.termMark[doc] !== pass) {
            this.termMark[doc] = pass;
            this.termScore[doc] = s;
            touched.push(doc);
          } else if (s > this.termScore[doc]) this.termScore[doc] = s;
        }
      }
      survivors = Uint32Array.from(touched);
      for (const doc of survivors) {
        if (w === 0) {
          this.queryMark[doc] = query;
          this.score[doc] = 0;
        }
        this.matched[doc] = w + 1;
        this.score[doc] += this.termScore[doc];
      }
      if (survivors.length === 0) break;
    }
    return survivors;
  }

  /** Filters, facet counts, total and the requested page, in one pass over the candidates. */
  private collect(candidates: Uint32Array, query: IndexQuery, scored: boolean): IndexResult {
    const t = this.table;
    const wanted = query.category === undefined ? -1 : (this.categoryIds.get(query.category) ?? -2);
    const counts = new Int32Array(this.categories.length);
    const hits = new Uint32Array(candidates.length);
    let total = 0;
    for (const doc of candidates) {
      if (query.minPrice !== undefined && t.price[doc] < query.minPrice) continue;
      if (query.maxPrice !== undefined && t.price[doc] > query.maxPrice) continue;
      if (query.inStock !== undefined && t.stock[doc] > 0 !== query.inStock) continue;
      // NaN (no ratings) fails every comparison, so unrated products drop out of a rating filter.
      if (query.minRating !== undefined && !(t.ratingAverage[doc] >= query.minRating)) continue;
      counts[t.category[doc]]++;
      if (wanted === -1 || t.category[doc] === wanted) hits[total++] = doc;
    }
    const facets = this.categories
      .map((category, id) => ({ category, count: counts[id] }))
      .filter((f) => f.count > 0)
      .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
    const sort = query.sort === 'relevance' && !scored ? 'name' : query.sort;
    const offset = (query.page - 1) * query.limit;
    const page = topK(
      hits.subarray(0, total),
      offset + query.limit,
      rankingOrder(sort, t, this.score, this.ranks()),
    ).slice(offset);
    return { items: page.map((doc) => this.hit(doc, scored)), total, facets };
  }

  private hit(doc: number, scored: boolean): IndexHit {
    const t = this.table;
    return {
      id: t.ids[doc],
      name: t.names[doc],
      category: this.categories[t.category[doc]],
      priceCents: t.price[doc],
      stock: t.stock[doc],
      ratingAverage: Number.isNaN(t.ratingAverage[doc]) ? null : t.ratingAverage[doc],
      ratingCount: t.ratingCount[doc],
      score: scored ? Math.round(this.score[doc] * 1000) / 1000 : 0,
    };
  }

  private ranks(): Int32Array {
    if (!this.nameRank) {
      const t = this.table;
      const keys = t.names.map((name) => name.toLowerCase());
      const order = Uint32Array.from(this.ordinals.values());
      order.sort((a, b) =>
        keys[a] !== keys[b] ? (keys[a] < keys[b] ? -1 : 1) : t.ids[a] < t.ids[b] ? -1 : 1,
      );
      const rank = new Int32Array(t.capacity);
      order.forEach((doc, i) => (rank[doc] = i));
      this.nameRank = rank;
    }
    return this.nameRank;
  }

  private allocate(id: string): number {
    const ordinal = this.table.allocate();
    this.ordinals.set(id, ordinal);
    if (this.queryMark.length < this.table.capacity) {
      const n = this.table.capacity;
      this.queryMark = new Uint32Array(n);
      this.termMark = new Uint32Array(n);
      this.matched = new Uint8Array(n);
      this.termScore = new Float64Array(n);
      this.score = new Float64Array(n);
    }
    return ordinal;
  }

  private categoryId(category: string): number {
    let id = this.categoryIds.get(category);
    if (id === undefined) {
      id = this.categories.length;
      this.categories.push(category);
      this.categoryIds.set(category, id);
    }
    return id;
  }

  /** Whether the product at `ordinal` is indexed under exactly these terms already. */
  private holdsTerms(ordinal: number, packed: readonly number[]): boolean {
    const held = this.table.terms(ordinal);
    return held.length === packed.length && packed.every((term, i) => held[i] === term);
  }

  /** Indexes the terms packedTerms just gave (its count of the name's words included). */
  private indexText(ordinal: number, packed: readonly number[]): void {
    for (const term of packed) this.dictionary.postings[term >>> 3].add(ordinal, term & 7);
    this.table.setTerms(ordinal, packed);
    this.table.nameLength[ordinal] = Math.min(255, this.nameWords);
    this.nameTokens += this.table.nameLength[ordinal];
  }

  private unindex(ordinal: number): void {
    const terms = this.table.terms(ordinal);
    if (terms.length === 0) return;
    for (const term of terms) this.dictionary.postings[term >>> 3].remove(ordinal);
    this.nameTokens -= this.table.nameLength[ordinal];
    this.table.clearTerms(ordinal);
  }

  /**
   * The product's terms, each as its id and the bits of the fields it is in (id · 8 + fields), in
   * the order they first appear. Marks per term id tell a word seen before in this product: no
   * map or array per product, as a load indexes 100,000 of them.
   */
  private packedTerms(product: IndexedProduct): number[] {
    const seen: number[] = [];
    const mark = ++this.products;
    this.nameWords = this.addWords(product.name, FIELD_NAME, mark, seen);
    this.addWords(product.category, FIELD_CATEGORY, mark, seen);
    this.addWords(product.description, FIELD_DESCRIPTION, mark, seen);
    for (let i = 0; i < seen.length; i++) seen[i] = seen[i] * 8 + this.termFields[seen[i]];
    return seen;
  }

  /** Adds the words of one field to `seen`; returns how many words the field has. */
  private addWords(
    text: string | null | undefined,
    field: number,
    mark: number,
    seen: number[],
  ): number {
    if (!text) return 0;
    const words = foldWords(text);
    for (const word of words) {
      const term = this.dictionary.intern(word);
      if (term >= this.termMarks.length) {
        const marks = new Uint32Array(Math.max(1024, term * 2));
        marks.set(this.termMarks);
        this.termMarks = marks;
        const fields = new Uint8Array(marks.length);
        fields.set(this.termFields);
        this.termFields = fields;
      }
      if (this.termMarks[term] === mark) {
        this.termFields[term] |= field;
      } else {
        this.termMarks[term] = mark;
        this.termFields[term] = field;
        seen.push(term);
      }
    }
    return words.length;
  }
}
