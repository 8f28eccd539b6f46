import { foldText } from '../fts-query';

/** A group names at least two words (one word alone has nothing to be the same as). */
export const MIN_SYNONYM_TERMS = 2;
/** Each word of a group widens every search for any of them: a group stays small. */
export const MAX_SYNONYM_TERMS = 20;
export const MAX_SYNONYM_TERM_LENGTH = 40;

/** Letters (accents as combining marks) and digits only, once decomposed. */
const ONE_WORD = /^[\p{L}\p{M}\p{N}]+$/u;

/** A term as the search compares it: lower case, accents removed ("Crème" → "creme"). */
export function foldTerm(term: string): string {
  return foldText(term);
}

/**
 * What is wrong with one term, or undefined when it is one word of 1 to 40 letters or digits
 * once folded. Punctuation is refused rather than dropped: "e-mail" would fold to two words, and
 * a group must say exactly which words it joins.
 */
export function termProblem(term: string): string | undefined {
  const trimmed = term.trim();
  if (trimmed === '') return 'terms may not be empty';
  const quoted = JSON.stringify(trimmed.length > 50 ? `${trimmed.slice(0, 50)}…` : trimmed);
  const folded = foldTerm(trimmed);
  if (!ONE_WORD.test(trimmed.normalize('NFKD')) || folded === '' || folded.includes(' '))
    return `terms must each be one word of letters or digits, not ${quoted}`;
  if ([...folded].length > MAX_SYNONYM_TERM_LENGTH)
    return `terms must each be at most ${MAX_SYNONYM_TERM_LENGTH} characters long, not ${quoted}`;
  return undefined;
}

/** Each term's problem, then any word the group names twice once folded ("Chips" and "chips"). */
export function termsProblems(terms: readonly string[]): string[] {
  const problems = terms.flatMap((term) => termProblem(term) ?? []);
  if (problems.length > 0) return problems;
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const folded of terms.map(foldTerm)) (seen.has(folded) ? twice : seen).add(folded);
  return [...twice].map((word) => `terms must not name the same word twice: "${word}"`);
}

/** Everything wrong with a group's terms, the number of them included; empty when it is valid. */
export function groupProblems(terms: readonly string[]): string[] {
  const count =
    terms.length < MIN_SYNONYM_TERMS
      ? [`terms must name at least ${MIN_SYNONYM_TERMS} words`]
      : terms.length > MAX_SYNONYM_TERMS
        ? [`terms must name at most ${MAX_SYNONYM_TERMS} words`]
        : [];
  return [...count, ...termsProblems(terms)];
}
