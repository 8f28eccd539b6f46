import { applyDecorators } from '@nestjs/common';
import { PageQuery } from '@mfm/platform/http/page.query';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { MaxDecimalPlaces } from '@mfm/platform/validation/decimal-places';
import { QueryBoolean } from '@mfm/platform/validation/transforms';
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
} from 'class-validator';

/** Categories are lowercase slugs ("dairy", "frozen-food"): the same rule everywhere. */
export const CATEGORY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Prices are integer cents up to 100,000.00. */
export const MAX_PRICE_CENTS = 10_000_000;
/** Stock of one product; the classic API's "unlimited" is this maximum. */
export const MAX_STOCK = 1_000_000;

/** A category field: a lowercase slug of at most 50 characters. */
export const CategorySlug = (): PropertyDecorator =>
  applyDecorators(
    MaxLength(50),
    Matches(CATEGORY_SLUG, { message: 'category must be a lowercase slug (e.g. "frozen-food")' }),
  );

/** The filters the catalogue and the search both offer, on top of paging. */
export class CatalogueFilterQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'A category slug',
    pattern: CATEGORY_SLUG.source,
    maxLength: 50,
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
