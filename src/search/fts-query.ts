/** At most this many words are searched; more only slows the query down. */
const MAX_TERMS = 12;

/**
 * Turns what a shopper typed into an FTS5 query that is data, never syntax: only runs of letters
 * and digits survive, each is quoted (so AND, NEAR, *, ^, ", : lose their meaning) and matched
 * as a prefix, and all must match. Returns null when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | null {
  const terms =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) return null;
  return [...new Set(terms)]
    .slice(0, MAX_TERMS)
    .map((term) => `"${term}"*`)
    .join(' ');
}

/** Lower case without accents ("Crème" → "creme"): what both sides of a PostgreSQL search see. */
export function foldText(text: string): string {
  const words =
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.join(' ');
}

/**
 * The PostgreSQL counterpart of toFtsQuery: the same terms, folded like the indexed text, each
 * quoted and matched as a prefix (`'term':*`), all required. Null when nothing is searchable.
 */
export function toTsQuery(text: string): string | null {
  const terms = foldText(text.normalize('NFKC')).split(' ').filter(Boolean);
  if (terms.length === 0) return null;
  return [...new Set(terms)]
    .slice(0, MAX_TERMS)
    .map((term) => `'${term}':*`)
    .join(' & ');
}
