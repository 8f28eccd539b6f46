import { PartialType } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { Omittable } from '@mfm/platform/validation/omittable';
import { CreateProductDto } from './create-product.dto';

/** Any subset of the fields; none may be null (send "" to clear the description). */
export class UpdateProductDto extends PartialType(CreateProductDto, { skipNullProperties: false }) {
  /**
   * The version you last saw; if the product changed since, 409 VERSION_CONFLICT.
   * The `If-Match` header does the same.
   */
  @Omittable()
  @IsInt()
  @Min(1)
  version?: number;
}
