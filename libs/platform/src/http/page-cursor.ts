import { PlatformErrors } from '../errors/error-codes';

/** The sort value and the unique tie-breaker of the last row of a page: where the next one starts. */
export type PageKey = [value: string | number | null, tieBreaker: string | number];

interface SealedCursor {
  /** The page this cursor opens. */
  p: number;
  /** The filters, order and page size it was made for. */
  f: string;
  k: PageKey;
}

const refused = (reason: string) =>
  PlatformErrors.INVALID_CURSOR.error(
    { reason },
    { fields: [{ field: 'cursor', messages: [reason] }] },
  );

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';

/**
 * An opaque `nextCursor` for keyset paging that keeps page numbers: the client sends it back with
 * the next page's number, and the list starts right after the last row it saw instead of counting
 * an offset. `fingerprint` names what the page was made for (filters, order, size).
 */
export function sealCursor(page: number, fingerprint: string, key: PageKey): string {
  const cursor: SealedCursor = { p: page, f: fingerprint, k: key };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The key of a cursor made for this page of this list; 400 naming `cursor` otherwise. */
export function openCursor(text: string, page: number, fingerprint: string): PageKey {
  let cursor: Partial<SealedCursor> | null;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SealedCursor | null;
  } catch {
    cursor = null;
  }
  const k = cursor?.k;
  if (
    !cursor ||
    !Array.isArray(k) ||
    k.length !== 2 ||
    !isScalar(k[1]) ||
    (!isScalar(k[0]) && k[0] !== null)
  )
    throw refused('cursor must be the nextCursor of the previous page');
  if (cursor.f !== fingerprint)
    throw refused('cursor belongs to other filters, another order or another page size');
  if (cursor.p !== page) throw refused(`cursor opens page ${String(cursor.p)}, not page ${page}`);
  return k;
}
