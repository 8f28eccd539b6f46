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
  return foldWords(text).join(' ');
}

/**
 * The words of a text, lower case without accents ("Crème brûlée" → creme, brulee). Plain ASCII,
 * most of a catalogue, skips Unicode normalisation: the in-memory index folds every product's
 * text when it loads.
 */
export function foldWords(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
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
