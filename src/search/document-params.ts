import type { ProductDocument } from '@mfm/contracts/search.contract';

/**
 * The parameters of the index upsert, in column order, for both dialects (SQLite stores the
 * archived flag as 0/1, PostgreSQL as a boolean; PostgreSQL computes its tsvector from them).
 */
export function documentParams(doc: ProductDocument, archived: boolean | number): unknown[] {
  return [
    doc.id,
    doc.name,
    doc.name.toLowerCase(),
    doc.description ?? null,
    doc.category,
    doc.priceCents,
    doc.stock,
    archived,
    doc.version,
    doc.revision,
    doc.createdAt,
    doc.updatedAt,
    doc.ratingAverage ?? null,
    doc.ratingCount ?? 0,
  ];
}
