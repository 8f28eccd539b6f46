/** A group of words the search treats as the same, as the back office shows it. */
export interface SynonymGroup {
  id: string;
  /** Folded single words, in the order they were given. */
  terms: readonly string[];
  version: number;
  /** ISO time of the last change. */
  updatedAt: string;
}

const NONE: readonly string[] = Object.freeze([]);

/** By first word, then id: the order of the back office's list, stable between calls. */
export function sortGroups(groups: readonly SynonymGroup[]): SynonymGroup[] {
  const key = (group: SynonymGroup) => group.terms[0] ?? '';
  return [...groups].sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/**
 * For each word of any group, the other words of its group, looked up once per query word. A
 * word is in one group at most; should older rows break that, its groups' words are merged.
 */
export class SynonymLookup {
  private readonly others = new Map<string, readonly string[]>();

  constructor(groups: readonly SynonymGroup[]) {
    for (const { terms } of groups) {
      for (const term of terms) {
        const known = this.others.get(term) ?? NONE;
        const added = terms.filter((other) => other !== term && !known.includes(other));
        this.others.set(term, Object.freeze([...known, ...added]));
      }
    }
  }

  /** The other words of every group holding `foldedTerm`; empty when it is in none. */
  expand(foldedTerm: string): readonly string[] {
    return this.others.get(foldedTerm) ?? NONE;
  }
}
