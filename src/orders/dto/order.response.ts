import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from '@mfm/platform/http/page-response';
import { ORDER_STATUSES, Order, type OrderStatus } from '../entities/order.entity';

export class OrderLineResponse {
  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ example: 'Whole milk 1 l' })
  name!: string;

  @ApiProperty({ example: 'dairy' })
  category!: string;

  @ApiProperty({ example: 129 })
  unitPriceCents!: number;

  @ApiProperty({ example: 3 })
  quantity!: number;

  @ApiProperty({ example: 550, description: 'Tax rate in basis points (550 = 5.5 %)' })
  taxRateBps!: number;

  @ApiProperty({ example: 387 })
  subtotalCents!: number;

  @ApiProperty({ example: 21, description: 'Rounded half-up to the cent, per line' })
  taxCents!: number;

  @ApiProperty({ example: 408 })
  totalCents!: number;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'customer' })
  username!: string;

  @ApiProperty({ enum: ORDER_STATUSES, example: 'CONFIRMED' })
  status!: OrderStatus;

  @ApiProperty({ type: [OrderLineResponse] })
  lines!: OrderLineResponse[];

  @ApiProperty({ example: 786 })
  subtotalCents!: number;

  @ApiProperty({ example: 101 })
  taxCents!: number;

  @ApiProperty({ example: 887 })
  totalCents!: number;

  @ApiPropertyOptional({
    nullable: true,
    type: Object,
    description: 'Why a FAILED order failed: { code, message, details }',
  })
  failure!: { code: string; message: string; details?: object } | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(order: Order): OrderResponse {
    return {
      id: order.id,
      userId: order.userId,
      username: order.username,
      status: order.status,
      lines: order.lines ?? [],
      subtotalCents: order.subtotalCents ?? 0,
      taxCents: order.taxCents ?? 0,
      totalCents: order.totalCents ?? 0,
      failure: order.failure,
      createdAt: new Date(order.createdAt).toISOString(),
      updatedAt: new Date(order.updatedAt).toISOString(),
    };
  }
}

export class OrderPageResponse extends PageResponse(OrderResponse) {}
