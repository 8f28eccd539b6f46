import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser } from '@mfm/platform/auth/auth.decorators';
import { AppError } from '@mfm/platform/errors/error-body';
import { ErrorBodyDto } from '@mfm/platform/http/error-body.dto';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import type { FastifyReply } from 'fastify';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderPageResponse, OrderResponse } from './dto/order.response';
import { PlaceOrderDto } from './dto/place-order.dto';
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
  @RateLimit('orders')
  @ApiOperation({
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
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorBodyDto })
  @ApiConflictResponse({
    description: 'INSUFFICIENT_STOCK (names the short lines); the order is FAILED',
    type: ErrorBodyDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'UNKNOWN_PRODUCT (the order is FAILED) or IDEMPOTENCY_KEY_REUSED',
    type: ErrorBodyDto,
  })
  @ApiServiceUnavailableResponse({
    description: 'Products unreachable; nothing is held',
    type: ErrorBodyDto,
  })
  async place(
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() caller: VerifiedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    if (key !== undefined && !KEY.test(key)) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        'Idempotency-Key must be 1-128 letters, digits, dots, underscores, colons or dashes',
        {
          fields: [
            { field: 'Idempotency-Key', messages: ['must be 1-128 letters, digits, . _ : -'] },
          ],
        },
      );
    }
    const outcome = await this.placing.place(caller, body.items, key);
    void reply.status(outcome.status);
    return outcome.body;
  }

  @Get()
  @Auth()
  @ApiOperation({
    summary: 'Order history, newest first',
    description: 'Customers: their own orders. Employees: all, filterable by userId and status.',
  })
  @ApiOkResponse({ type: OrderPageResponse })
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
  @ApiOperation({ summary: 'One order (its owner or an employee)' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({
    description: "ORDER_NOT_FOUND, also for someone else's order",
    type: ErrorBodyDto,
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.get(caller, id));
  }

  @Post(':id/cancel')
  @Auth()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an order and give its stock back',
    description: 'The owner while CONFIRMED, or an employee. Cancelling twice is harmless.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND', type: ErrorBodyDto })
  @ApiConflictResponse({
    description: 'ORDER_NOT_CANCELLABLE (FAILED or PENDING)',
    type: ErrorBodyDto,
  })
  async cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.cancel(caller, id));
  }
}
