import { Controller } from '@nestjs/common';
import {
  HasConfirmedOrderReply,
  HasConfirmedOrderRequest,
  OrdersApi,
  OrdersMessages,
} from '@mfm/contracts/orders.contract';
import { Handles } from '@mfm/contracts/message';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { OrdersService } from './orders.service';

/** The orders module's message patterns, OrdersMessages in libs/contracts. */
@Controller()
export class OrdersHandlers implements OrdersApi {
  constructor(private readonly orders: OrdersService) {}

  @Handles(OrdersMessages.hasConfirmedOrder)
  async hasConfirmedOrder(
    @RpcPayload() request: HasConfirmedOrderRequest,
  ): Promise<HasConfirmedOrderReply> {
    return { confirmed: await this.orders.hasConfirmedOrder(request.userId, request.productId) };
  }
}
