import { PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { CreateProductDto } from './create-product.dto';

/** Any subset of the fields. */
export class UpdateProductDto extends PartialType(CreateProductDto) {
  /**
   * The version you last saw; if the product changed since, 409 VERSION_CONFLICT.
   * The `If-Match` header does the same.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
