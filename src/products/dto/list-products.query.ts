import { IsIn, IsOptional } from 'class-validator';
import { CatalogueFilterQuery } from '@mfm/contracts/catalogue.contract';

export const PRODUCT_SORTS = ['name', 'price', 'updatedAt', 'rating'] as const;

export class ListProductsQuery extends CatalogueFilterQuery {
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort: (typeof PRODUCT_SORTS)[number] = 'name';

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}
