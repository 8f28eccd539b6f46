import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  GetProductsReply,
  GetProductsRequest,
  ListProductsPageReply,
  ListProductsPageRequest,
  ProductsPatterns,
  ReleaseStockReply,
  ReleaseStockRequest,
  ReserveStockReply,
  ReserveStockRequest,
} from '@mfm/contracts/products.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { ProductsService } from './products.service';
import { StockService } from './stock.service';

@Controller()
export class ProductsHandlers {
  constructor(
    private readonly products: ProductsService,
    private readonly stock: StockService,
  ) {}

  @MessagePattern(ProductsPatterns.getMany)
  async getMany(@RpcPayload() request: GetProductsRequest): Promise<GetProductsReply> {
    return { items: await this.products.facts(request) };
  }

  @MessagePattern(ProductsPatterns.reserveStock)
  reserveStock(@RpcPayload() request: ReserveStockRequest): Promise<ReserveStockReply> {
    return this.stock.reserve(request);
  }

  @MessagePattern(ProductsPatterns.listPage)
  listPage(@RpcPayload() request: ListProductsPageRequest): Promise<ListProductsPageReply> {
    return this.products.page(request.afterId, request.limit);
  }

  @MessagePattern(ProductsPatterns.releaseStock)
  releaseStock(@RpcPayload() request: ReleaseStockRequest): Promise<ReleaseStockReply> {
    return this.stock.release(request.reservationId);
  }
}
