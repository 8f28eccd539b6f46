/**
 * Whether `a` and `b` are at most `max` edits apart, counting an insertion, a deletion, a
 * substitution or two neighbouring letters swapped as one edit (optimal string alignment).
 * Only a band of 2·max + 1 cells per row is computed, and it stops as soon as every cell of a row
 * is over `max`: a dictionary scan asks this of thousands of words per typo.
 */
export function withinEdits(a: string, b: string, max: number): boolean {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return false;
  if (max === 0) return a === b;
  const width = m + 1;
  const big = max + 1;
  let prev2 = new Int32Array(width).fill(big);
  let prev = new Int32Array(width).fill(big);
  let row = new Int32Array(width).fill(big);
  for (let j = 0; j <= Math.min(m, max); j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    row.fill(big);
    if (i <= max) row[0] = i;
    const from = Math.max(1, i - max);
    const to = Math.min(m, i + max);
    let best = row[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (
        i > 1 &&
        j > 1 &&
        ca === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === cb &&
        prev2[j - 2] + 1 < d
      )
        d = prev2[j - 2] + 1;
      row[j] = d > big ? big : d;
      if (d < best) best = d;
    }
    if (best > max) return false;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return prev[m] <= max;
}

/** How many edits a typed word of this length may have: one from 5 letters, two from 9. */
export function allowedEdits(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * A 26-bit set of the letters a word holds (others fold into a 27th bit): one edit changes at
 * most two bits, so words whose sets differ by more than 2·max bits cannot be within max edits.
 */
export function letterSet(word: string): number {
  let set = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 97;
    set |= c >= 0 && c < 26 ? 1 << c : 1 << 26;
  }
  return set;
}

/** Bits set in a 32-bit number. */
export function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0xf0f0f0f) * 0x1010101) >>> 24;
}
