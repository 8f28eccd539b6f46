import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  IsString,
} from 'class-validator';
import { QueryBoolean } from '@mfm/platform/validation/transforms';
import { PageQuery } from '@mfm/platform/http/page.query';
import { MaxDecimalPlaces } from '@mfm/platform/validation/decimal-places';

import {
  CATEGORY_SLUG,
  MAX_CATEGORY_LENGTH,
  MAX_PRICE_CENTS,
  MAX_PRODUCT_DESCRIPTION_LENGTH,
  MAX_PRODUCT_NAME_LENGTH,
} from './catalogue-rules';

export {
  CATEGORY_SLUG,
  MAX_PRICE_CENTS,
  MAX_PRODUCT_DESCRIPTION_LENGTH,
  MAX_PRODUCT_NAME_LENGTH,
  MAX_STOCK,
} from './catalogue-rules';

/** A category field: a lowercase slug of at most 50 characters. */
export const CategorySlug = (): PropertyDecorator =>
  applyDecorators(
    MaxLength(MAX_CATEGORY_LENGTH),
    Matches(CATEGORY_SLUG, { message: 'category must be a lowercase slug (e.g. "frozen-food")' }),
  );

/**
 * A product's name and description wherever a product travels (the HTTP form states the same
 * limits one decorator each, where the OpenAPI plugin can read them).
 */
export const ProductName = (): PropertyDecorator =>
  applyDecorators(IsString(), MinLength(1), MaxLength(MAX_PRODUCT_NAME_LENGTH));
export const ProductDescription = (): PropertyDecorator =>
  applyDecorators(IsOptional(), IsString(), MaxLength(MAX_PRODUCT_DESCRIPTION_LENGTH));

/** The filters the catalogue and the search both offer, on top of paging. */
export class CatalogueFilterQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'A category slug',
    pattern: CATEGORY_SLUG.source,
    maxLength: MAX_CATEGORY_LENGTH,
    example: 'dairy',
  })
  @IsOptional()
  @CategorySlug()
  category?: string;

  /** In cents, inclusive. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  minPrice?: number;

  /** In cents, inclusive. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  maxPrice?: number;

  /** Only products rated at least this on average (1–5, one decimal); unrated ones are left out. */
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(1)
  @Min(1)
  @Max(5)
  minRating?: number;

  /** true: only products with stock > 0; false: only those out of stock. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  inStock?: boolean;
}
