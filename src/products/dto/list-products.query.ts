import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CatalogueFilterQuery } from '@mfm/contracts/catalogue.contract';

export const PRODUCT_SORTS = ['name', 'price', 'updatedAt', 'rating'] as const;

export class ListProductsQuery extends CatalogueFilterQuery {
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort: (typeof PRODUCT_SORTS)[number] = 'name';

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';

  /**
   * The `nextCursor` of the previous page, sent with that page's number + 1: the page then starts
   * right after the previous one's last product instead of counting an offset (same answer,
   * cheaper on deep pages). Only valid with the same filters, sort, order and limit.
   */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
