import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { IsUUID } from 'class-validator';
import { ModuleClient } from './module-client';

export const OrdersPatterns = {
  /** Has this customer a CONFIRMED order with this product? (Who may review it.) */
  hasConfirmedOrder: 'orders.has_confirmed_order',
} as const;

export class HasConfirmedOrderRequest {
  @IsUUID()
  userId!: string;

  @IsUUID()
  productId!: string;
}

export interface HasConfirmedOrderReply {
  confirmed: boolean;
}

@Injectable()
export class OrdersClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('orders')) rpc: RpcClient) {
    super(rpc);
  }

  hasConfirmedOrder(request: HasConfirmedOrderRequest): Promise<HasConfirmedOrderReply> {
    return this.rpc.send<HasConfirmedOrderReply>(OrdersPatterns.hasConfirmedOrder, request, {
      idempotent: true,
    });
  }
}
