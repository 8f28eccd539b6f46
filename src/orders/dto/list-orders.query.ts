import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '../entities/order.entity';

import { PageQuery } from '@mfm/platform/http/page.query';

export class ListOrdersQuery extends PageQuery {
  /** Employees only: one customer's orders. */
  @IsOptional()
  @IsUUID()
  userId?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
