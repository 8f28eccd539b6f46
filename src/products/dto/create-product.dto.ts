import { Trim } from '@mfm/platform/validation/transforms';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const MAX_PRICE_CENTS = 10_000_000;
export const CATEGORY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class CreateProductDto {
  /** Unique among live products, ignoring case and surrounding spaces. @example "Oat milk 1 l" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** @example "Creamy oat drink, unsweetened." */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** A lowercase slug. @example "dairy" */
  @IsString()
  @MaxLength(50)
  @Matches(CATEGORY_SLUG, {
    message: 'category must be a lowercase slug such as "frozen" or "soft-drinks"',
  })
  category!: string;

  /** Price in cents, 1 … 10,000,000. @example 249 */
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE_CENTS)
  priceCents!: number;

  /** Units in stock. @example 40 */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  stock!: number;
}
