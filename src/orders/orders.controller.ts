import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OrdersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { uuidParam } from '@mfm/platform/validation/uuid-param.pipe';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser } from '@mfm/platform/auth/auth.decorators';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { OrdersLimits } from './rate-limits';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderPageResponse, OrderResponse } from './dto/order.response';
import { PlaceOrderDto } from './dto/place-order.dto';
import { renderOrderOutcome } from './order-outcome';
import { OrdersService } from './orders.service';
import { PlaceOrderService } from './place-order.service';

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly placing: PlaceOrderService,
    private readonly orders: OrdersService,
  ) {}

  @Post()
  @Auth()
  @RateLimit(OrdersLimits.orders)
  @ApiOperation({
    operationId: 'placeOrder',
    summary: 'Place an order',
    description:
      'Prices, names and availability come from the products module; a price or total in the body is rejected. ' +
      'With an Idempotency-Key, repeats within 24 h return the first response and create nothing.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–128 letters, digits, . _ : -',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', example: 'checkout-7f3a9c' },
  })
  @ApiCreatedResponse({ type: OrderResponse, description: 'CONFIRMED: stock reserved' })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    OrdersErrors.INSUFFICIENT_STOCK,
    OrdersErrors.IDEMPOTENCY_IN_PROGRESS,
    OrdersErrors.UNKNOWN_PRODUCT,
    OrdersErrors.IDEMPOTENCY_KEY_REUSED,
    PlatformErrors.TOO_MANY_REQUESTS,
  )
  async place(
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() caller: VerifiedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    if (key !== undefined && !KEY.test(key)) {
      throw OrdersErrors.IDEMPOTENCY_KEY_INVALID.error({
        fields: [
          { field: 'Idempotency-Key', messages: ['must be 1-128 letters, digits, . _ : -'] },
        ],
      });
    }
    const placed = await this.placing.place(caller, body.items, key);
    const response = 'replay' in placed ? placed.replay : renderOrderOutcome(placed);
    void reply.status(response.status);
    return response.body;
  }

  @Get()
  @Auth()
  @ApiOperation({
    operationId: 'listMyOrders',
    summary: 'Order history, newest first',
    description: 'Customers: their own orders. Employees: all, filterable by userId and status.',
  })
  @ApiOkResponse({ type: OrderPageResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED)
  async list(
    @Query() query: ListOrdersQuery,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<OrderPageResponse> {
    const page = await this.orders.list(caller, query);
    return {
      items: page.items.map((order) => OrderResponse.from(order)),
      total: page.total,
      page: query.page,
      limit: query.limit,
    };
  }

  @Get(':id')
  @Auth()
  @ApiOperation({
    operationId: 'getOrder',
    summary: 'One order (its owner or an employee)',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, OrdersErrors.ORDER_NOT_FOUND)
  async get(
    @Param('id', uuidParam()) id: string,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.get(caller, id));
  }

  @Post(':id/cancel')
  @Auth()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'cancelOrder',
    summary: 'Cancel an order and give its stock back',
    description: 'The owner while CONFIRMED, or an employee. Cancelling twice is harmless.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    OrdersErrors.ORDER_NOT_FOUND,
    OrdersErrors.ORDER_NOT_CANCELLABLE,
  )
  async cancel(
    @Param('id', uuidParam()) id: string,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.cancel(caller, id));
  }
}
