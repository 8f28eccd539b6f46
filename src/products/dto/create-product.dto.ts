import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  CATEGORY_SLUG,
  CategorySlug,
  MAX_PRICE_CENTS,
  MAX_PRODUCT_DESCRIPTION_LENGTH,
  MAX_PRODUCT_NAME_LENGTH,
  MAX_STOCK,
} from '@mfm/contracts/catalogue.contract';
import { Trim } from '@mfm/platform/validation/transforms';

export class CreateProductDto {
  /** Unique among live products, ignoring case and surrounding spaces. @example "Oat milk 1 l" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PRODUCT_NAME_LENGTH)
  name!: string;

  /** @example "Creamy oat drink, unsweetened." */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PRODUCT_DESCRIPTION_LENGTH)
  description?: string;

  @ApiProperty({
    description: 'A lowercase slug',
    pattern: CATEGORY_SLUG.source,
    maxLength: 50,
    example: 'dairy',
  })
  @IsString()
  @CategorySlug()
  category!: string;

  /** Price in cents, 1 … 10,000,000. @example 249 */
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE_CENTS)
  priceCents!: number;

  /** Units in stock. @example 40 */
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;
}
