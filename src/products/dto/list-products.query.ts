import { QueryBoolean } from '@mfm/platform/validation/transforms';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, MaxLength, Min } from 'class-validator';
import { CATEGORY_SLUG } from './create-product.dto';

export const PRODUCT_SORTS = ['name', 'price', 'updatedAt'] as const;

import { PageQuery } from '@mfm/platform/http/page.query';

export class ListProductsQuery extends PageQuery {
  @IsOptional()
  @MaxLength(50)
  @Matches(CATEGORY_SLUG, { message: 'category must be a lowercase slug' })
  category?: string;

  /** In cents, inclusive. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPrice?: number;

  /** In cents, inclusive. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  maxPrice?: number;

  /** true: only products with stock > 0; false: only those out of stock. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  inStock?: boolean;

  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort: (typeof PRODUCT_SORTS)[number] = 'name';

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}
