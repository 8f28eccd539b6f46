import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQuery } from '@mfm/platform/http/page.query';
import { Omittable } from '@mfm/platform/validation/omittable';
import { QueryBoolean, Trim } from '@mfm/platform/validation/transforms';
import { PageResponse } from '@mfm/platform/http/page-response';
import type { ProductReview } from '../entities/product-review.entity';

export class CreateReviewDto {
  /** 1 (poor) to 5 (excellent). @example 5 */
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  /** @example "Creamy, and it froths well for coffee." */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  text!: string;
}

export class UpdateReviewDto {
  /** @example 4 */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  /** @example "Still good, a little sweet." */
  @Omittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  text?: string;
}

export class HideReviewDto {
  /** Why it is hidden (kept with the review and in the audit log). @example "Personal data in the text" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ListReviewsQuery extends PageQuery {
  /** Employees only: hidden reviews too. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  includeHidden?: boolean;
}

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ example: 'customer' })
  username!: string;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  rating!: number;

  @ApiProperty({ example: 'Creamy, and it froths well for coffee.' })
  text!: string;

  @ApiProperty({ description: 'Hidden by an employee (shown to employees only)' })
  hidden!: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Employees only' })
  hiddenReason?: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(review: ProductReview, forEmployee = false): ReviewResponse {
    return {
      id: review.id,
      productId: review.productId,
      username: review.username,
      rating: review.rating,
      text: review.text,
      hidden: Boolean(review.hidden),
      ...(forEmployee && { hiddenReason: review.hiddenReason }),
      createdAt: new Date(review.createdAt).toISOString(),
      updatedAt: new Date(review.updatedAt).toISOString(),
    };
  }
}

export class ReviewPageResponse extends PageResponse(ReviewResponse, 12) {
  @ApiProperty({ type: 'number', format: 'double', nullable: true, example: 4.5 })
  ratingAverage!: number | null;

  @ApiProperty({ example: 12 })
  ratingCount!: number;
}
