import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  HasConfirmedOrderReply,
  HasConfirmedOrderRequest,
  OrdersPatterns,
} from '@mfm/contracts/orders.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { OrdersService } from './orders.service';

/** The orders module's message patterns, as declared in libs/contracts/orders.contract.ts. */
@Controller()
export class OrdersHandlers {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern(OrdersPatterns.hasConfirmedOrder)
  async hasConfirmedOrder(
    @RpcPayload() request: HasConfirmedOrderRequest,
  ): Promise<HasConfirmedOrderReply> {
    return { confirmed: await this.orders.hasConfirmedOrder(request.userId, request.productId) };
  }
}
