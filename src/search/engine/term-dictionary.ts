import { allowedEdits, bitCount, letterSet, withinEdits } from './edit-distance';

/** Which fields of a product hold a term: bits of a posting. */
export const FIELD_NAME = 1;
export const FIELD_CATEGORY = 2;
export const FIELD_DESCRIPTION = 4;

/** The products holding one term (by ordinal) and in which fields, in no particular order. */
export class Postings {
  docs = new Uint32Array(4);
  fields = new Uint8Array(4);
  length = 0;

  add(doc: number, fields: number): void {
    if (this.length === this.docs.length) {
      const docs = new Uint32Array(this.length * 2);
      docs.set(this.docs);
      this.docs = docs;
      const grown = new Uint8Array(this.length * 2);
      grown.set(this.fields);
      this.fields = grown;
    }
    this.docs[this.length] = doc;
    this.fields[this.length++] = fields;
  }

  /** Gives back the room grown for postings to come (after a load, when few are). */
  trim(): void {
    if (this.docs.length === this.length) return;
    this.docs = this.docs.slice(0, Math.max(1, this.length));
    this.fields = this.fields.slice(0, Math.max(1, this.length));
  }

  /** Swaps the last posting into the removed one's place: order carries no meaning here. */
  remove(doc: number): void {
    const at = this.docs.subarray(0, this.length).indexOf(doc);
    if (at < 0) return;
    this.length--;
    this.docs[at] = this.docs[this.length];
    this.fields[at] = this.fields[this.length];
  }
}

/** One word of the dictionary a typed word stands for, and how well it matches (0–1]. */
export interface Expansion {
  term: number;
  quality: number;
}

/** How much a match of each kind counts against an exact one. */
const PREFIX_QUALITY = 0.6;
const SYNONYM_QUALITY = 0.9;
const TYPO_QUALITY = [1, 0.45, 0.3];

/**
 * Every folded word of the catalogue with its postings. A typed word matches the word itself, the
 * words it is a prefix of (as typed: "choc" finds chocolate), its synonyms, and, when none of
 * those exists, the words within the typos its length allows ("chocolte", "yoghurt").
 */
export class TermDictionary {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  readonly postings: Postings[] = [];
  /** The words in code-unit order for prefix ranges; rebuilt when a new word arrives. */
  private sorted?: { words: string[]; ids: Uint32Array };
  private letters?: Int32Array;

  get size(): number {
    return this.words.length;
  }

  /** The word's id, adding it when new. */
  intern(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
      this.postings.push(new Postings());
      this.sorted = undefined;
      this.letters = undefined;
    }
    return id;
  }

  /** Every postings list at its exact size. */
  trim(): void {
    for (const postings of this.postings) postings.trim();
  }

  /** The products holding the word (0 when none). */
  frequency(term: number): number {
    return this.postings[term].length;
  }

  /** What one typed (folded) word matches; synonyms are the other words of its groups. */
  expand(typed: string, synonyms: readonly string[]): Expansion[] {
    const found = new Map<number, number>();
    const offer = (term: number | undefined, quality: number) => {
      if (term === undefined || this.postings[term].length === 0) return;
      if ((found.get(term) ?? 0) < quality) found.set(term, quality);
    };
    offer(this.ids.get(typed), 1);
    for (const term of this.withPrefix(typed)) {
      // Longer completions of a short prefix say less about what was meant.
      offer(term, PREFIX_QUALITY * (0.5 + (0.5 * typed.length) / this.words[term].length));
    }
    const direct = found.size > 0;
    for (const word of synonyms) offer(this.ids.get(word), SYNONYM_QUALITY);
    if (!direct) {
      const max = allowedEdits(typed.length);
      if (max > 0)
        for (const [term, edits] of this.withinEdits(typed, max)) offer(term, TYPO_QUALITY[edits]);
    }
    return [...found].map(([term, quality]) => ({ term, quality }));
  }

  /** The words that start with `prefix` and are longer than it. */
  private *withPrefix(prefix: string): Generator<number> {
    const { words, ids } = this.sortedWords();
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (words[mid] <= prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < words.length && words[i].startsWith(prefix); i++) yield ids[i];
  }

  /** The words at most `max` edits from `typed`, with their distance. */
  private withinEdits(typed: string, max: number): Array<[number, number]> {
    const letters = this.letterSets();
    const set = letterSet(typed);
    const found: Array<[number, number]> = [];
    for (let term = 0; term < this.words.length; term++) {
      const word = this.words[term];
      if (Math.abs(word.length - typed.length) > max || bitCount(letters[term] ^ set) > 2 * max)
        continue;
      if (this.postings[term].length === 0) continue;
      for (let edits = 1; edits <= max; edits++) {
        if (withinEdits(typed, word, edits)) {
          found.push([term, edits]);
          break;
        }
      }
    }
    return found;
  }

  private sortedWords(): { words: string[]; ids: Uint32Array } {
    if (!this.sorted) {
      const ids = Uint32Array.from(this.words.keys());
      ids.sort((a, b) => (this.words[a] < this.words[b] ? -1 : 1));
      this.sorted = { words: Array.from(ids, (id) => this.words[id]), ids };
    }
    return this.sorted;
  }

  private letterSets(): Int32Array {
    this.letters ??= Int32Array.from(this.words, letterSet);
    return this.letters;
  }
}
