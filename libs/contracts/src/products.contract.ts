import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ModuleClient } from './module-client';
import type { ProductDocument } from './search.contract';

export const ProductsPatterns = {
  /** Authoritative facts about products, by ids or by names. */
  getMany: 'products.get_many',
  /** All-or-nothing stock reservation, idempotent per reservationId. */
  reserveStock: 'products.reserve_stock',
  /** Gives back exactly what a reservation took; idempotent. */
  releaseStock: 'products.release_stock',
  /** Every product (archived included) in pages, for rebuilding a read model. */
  listPage: 'products.list_page',
} as const;

export class GetProductsRequest {
  @ValidateIf((r: GetProductsRequest) => r.names === undefined)
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids?: string[];

  /** Case-insensitive exact names. */
  @ValidateIf((r: GetProductsRequest) => r.ids === undefined)
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  names?: string[];
}

/** What other modules may know of a product. Archived products are included, flagged. */
export interface ProductFacts {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
  archived: boolean;
  version: number;
  updatedAt: string;
}

export interface GetProductsReply {
  items: ProductFacts[];
}

export class StockLine {
  @IsUUID()
  productId!: string;

  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity!: number;
}

export class ReserveStockRequest {
  /** Chosen by the caller (e.g. the order id): repeating a reservation changes nothing. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/)
  reservationId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  items!: StockLine[];
}

export interface ReserveStockReply {
  reservationId: string;
  items: Array<{ productId: string; quantity: number }>;
  /** False when this reservation had been made before (a retry). */
  created: boolean;
}

/** Details of a 409 INSUFFICIENT_STOCK from reserve_stock. */
export interface ShortLine {
  productId: string;
  requested: number;
  available: number;
}

export class ReleaseStockRequest {
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/)
  reservationId!: string;
}

export interface ReleaseStockReply {
  reservationId: string;
  /** False when there was nothing (left) to release. */
  released: boolean;
}

export class ListProductsPageRequest {
  /** The last id of the previous page; omit for the first page. */
  @IsOptional()
  @IsUUID()
  afterId?: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  limit!: number;
}

export interface ListProductsPageReply {
  items: ProductDocument[];
  /** Pass as afterId for the next page; null after the last one. */
  nextAfterId: string | null;
}

@Injectable()
export class ProductsClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('products')) rpc: RpcClient) {
    super(rpc);
  }

  getMany(request: GetProductsRequest): Promise<GetProductsReply> {
    return this.rpc.send<GetProductsReply>(ProductsPatterns.getMany, request, { idempotent: true });
  }

  /** 409 INSUFFICIENT_STOCK (details.items: ShortLine[]) or 422 UNKNOWN_PRODUCT; nothing changed then. */
  reserveStock(request: ReserveStockRequest): Promise<ReserveStockReply> {
    return this.rpc.send<ReserveStockReply>(ProductsPatterns.reserveStock, request, {
      idempotent: true,
    });
  }

  releaseStock(request: ReleaseStockRequest): Promise<ReleaseStockReply> {
    return this.rpc.send<ReleaseStockReply>(ProductsPatterns.releaseStock, request, {
      idempotent: true,
    });
  }

  listPage(request: ListProductsPageRequest): Promise<ListProductsPageReply> {
    return this.rpc.send<ListProductsPageReply>(ProductsPatterns.listPage, request, {
      idempotent: true,
    });
  }
}
