import { PageQuery } from '@mfm/platform/http/page.query';
import { QueryBoolean } from '@mfm/platform/validation/transforms';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'name', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export class SearchQuery extends PageQuery {
  /** Words in any order; the last may be a prefix ("choc" finds chocolate). Up to 200 characters. @example "dark choc" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @MaxLength(50)
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'category must be a lowercase slug' })
  category?: string;

  /** Cents, inclusive. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPrice?: number;

  /** Cents, inclusive. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  maxPrice?: number;

  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  inStock?: boolean;

  /** Default: relevance when there is a query, name otherwise. */
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;
}
