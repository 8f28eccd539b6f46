import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from '@mfm/platform/http/page-response';
import { Product } from '../entities/product.entity';

export class ProductResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Oat milk 1 l' })
  name!: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Creamy oat drink, unsweetened.' })
  description!: string | null;

  @ApiProperty({ example: 'dairy' })
  category!: string;

  @ApiProperty({ example: 249, description: 'Price in cents' })
  priceCents!: number;

  @ApiProperty({ example: 40 })
  stock!: number;

  @ApiProperty({ example: true })
  inStock!: boolean;

  @ApiProperty({ example: 1, description: 'Send it back as If-Match (or `version`) when editing' })
  version!: number;

  @ApiProperty({
    type: 'number',
    format: 'double',
    nullable: true,
    example: 4.5,
    description: 'Average rating of its visible reviews (1–5, two decimals); null without reviews',
  })
  ratingAverage!: number | null;

  @ApiProperty({ example: 12, description: 'Number of visible reviews' })
  ratingCount!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(product: Product): ProductResponse {
    return {
      id: product.id,
      name: product.name,
      description: product.description,
      category: product.category,
      priceCents: product.priceCents,
      stock: product.stock,
      inStock: product.stock > 0,
      version: product.version,
      ratingAverage: product.ratingAverage ?? null,
      ratingCount: product.ratingCount ?? 0,
      createdAt: new Date(product.createdAt).toISOString(),
      updatedAt: new Date(product.updatedAt).toISOString(),
    };
  }
}

export class ProductPageResponse extends PageResponse(ProductResponse, 51) {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Send it as `cursor` with `page` + 1 (same filters, sort and limit) for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
