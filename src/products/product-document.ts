import type { ProductDocument } from '@mfm/contracts/search.contract';
import { Product } from './entities/product.entity';

/** What read models (search) receive about a product. */
export function toDocument(p: Product): ProductDocument {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    category: p.category,
    priceCents: p.priceCents,
    stock: p.stock,
    archived: Boolean(p.archived),
    version: p.version,
    revision: p.revision,
    ratingAverage: p.ratingAverage ?? null,
    ratingCount: p.ratingCount ?? 0,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}
