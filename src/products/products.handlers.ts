import { Controller, Inject } from '@nestjs/common';
import {
  GetProductsReply,
  GetProductsRequest,
  ListProductsPageReply,
  ListProductsPageRequest,
  ProductsApi,
  ProductsMessages,
  ReleaseStockReply,
  ReleaseStockRequest,
  ReservationsSinceReply,
  ReservationsSinceRequest,
  ReserveStockReply,
  ReserveStockRequest,
} from '@mfm/contracts/products.contract';
import { Handles } from '@mfm/contracts/message';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { batchBudget, countWithinBudget } from '@mfm/platform/rpc/frame-budget';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { ProductsService } from './products.service';
import { StockService } from './stock.service';

@Controller()
/** The products module's messages (ProductsMessages in libs/contracts). */
export class ProductsHandlers implements ProductsApi {
  constructor(
    private readonly products: ProductsService,
    private readonly stock: StockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Handles(ProductsMessages.getMany)
  async getMany(@RpcPayload() request: GetProductsRequest): Promise<GetProductsReply> {
    return { items: await this.products.facts(request) };
  }

  @Handles(ProductsMessages.reserveStock)
  reserveStock(@RpcPayload() request: ReserveStockRequest): Promise<ReserveStockReply> {
    return this.stock.reserve(request);
  }

  @Handles(ProductsMessages.listPage)
  async listPage(@RpcPayload() request: ListProductsPageRequest): Promise<ListProductsPageReply> {
    const page = await this.products.page(request.afterId, request.limit);
    // A page of long descriptions could outgrow a bus frame: it ends early, and the caller goes on
    // from its last product as after any page.
    const sizes = page.items.map((item) => JSON.stringify(item).length);
    const count = countWithinBudget(sizes, batchBudget(this.config));
    if (count === page.items.length) return page;
    return { items: page.items.slice(0, count), nextAfterId: page.items[count - 1].id };
  }

  @Handles(ProductsMessages.reservationsSince)
  reservationsSince(
    @RpcPayload() request: ReservationsSinceRequest,
  ): Promise<ReservationsSinceReply> {
    return this.stock.changedSince(new Date(request.since), request.afterId, request.limit);
  }

  @Handles(ProductsMessages.releaseStock)
  releaseStock(@RpcPayload() request: ReleaseStockRequest): Promise<ReleaseStockReply> {
    return this.stock.release(request.reservationId);
  }
}
