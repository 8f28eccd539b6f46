/**
 * The words an employee typed for a group: separated by commas, spaces or new lines, as people
 * write lists ("crisps, chips" or "crisps chips"). Repeats are kept: the store names them.
 */
export function parseTerms(text: string): string[] {
  return text.split(/[\s,;]+/u).filter((word) => word !== '');
}

/** A group's words as the field shows them for editing, and as the list reads them out. */
export function formatTerms(terms: readonly string[]): string {
  return terms.join(', ');
}

/** "2 groups", "1 group". */
export function groupCount(n: number): string {
  return `${n} group${n === 1 ? '' : 's'}`;
}
