import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '@mfm/platform/http/page.query';
import { ORDER_STATUSES, type OrderStatus } from '../entities/order.entity';

export class ListOrdersQuery extends PageQuery {
  /** Employees only: one customer's orders. */
  @IsOptional()
  @IsUUID()
  userId?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
