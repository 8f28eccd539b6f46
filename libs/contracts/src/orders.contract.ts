import { Inject, Injectable } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { message, type ModuleApi } from './message';
import { ModuleClient } from './module-client';

export class HasConfirmedOrderRequest {
  @IsUUID()
  userId!: string;

  @IsUUID()
  productId!: string;
}

export interface HasConfirmedOrderReply {
  confirmed: boolean;
}

export const OrdersMessages = {
  /** Has this customer a CONFIRMED order with this product? (Who may review it.) */
  hasConfirmedOrder: message<HasConfirmedOrderRequest, HasConfirmedOrderReply>(
    'orders',
    'has_confirmed_order',
    { idempotent: true },
  ),
};

export type OrdersApi = ModuleApi<typeof OrdersMessages>;

@Injectable()
export class OrdersClient extends ModuleClient implements OrdersApi {
  constructor(@Inject(rpcClientToken('orders')) rpc: RpcClient) {
    super(rpc);
  }

  hasConfirmedOrder(request: HasConfirmedOrderRequest): Promise<HasConfirmedOrderReply> {
    return this.call(OrdersMessages.hasConfirmedOrder, request);
  }
}
