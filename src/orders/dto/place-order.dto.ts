import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { EXAMPLE_ORDER_PRODUCT, demoProductId } from '@mfm/demo/demo-store';

/** A line of the documented example: two of a product every demo store sells. */
const EXAMPLE_LINE = { productId: demoProductId(EXAMPLE_ORDER_PRODUCT), quantity: 2 };

export class OrderLineDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_LINE.productId })
  @IsUUID()
  productId!: string;

  /** @example 2 */
  @IsInt()
  @Min(1)
  @Max(999)
  quantity!: number;
}

/** Only products and quantities: prices and totals come from the products module, never from the client. */
export class PlaceOrderDto {
  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: 100, example: [EXAMPLE_LINE] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items!: OrderLineDto[];
}
