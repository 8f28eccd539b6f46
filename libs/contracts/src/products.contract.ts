import { Inject, Injectable } from '@nestjs/common';
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
  IsISO8601,
} from 'class-validator';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { message, type ModuleApi } from './message';
import { ModuleClient } from './module-client';
import type { ProductDocument } from './search.contract';

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

/**
 * The same product twice is one line, with the quantities added; lines keep the order in which
 * their products first appear.
 */
export function mergeStockLines(
  lines: ReadonlyArray<{ productId: string; quantity: number }>,
): Array<{ productId: string; quantity: number }> {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of lines)
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
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

export class ReservationsSinceRequest {
  /** Reservations made or released at or after this instant. */
  @IsISO8601()
  since!: string;

  /** The last reservation id of the previous page; omit for the first page. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/)
  afterId?: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  limit!: number;
}

export interface ReservationsSinceReply {
  /** By reservation id; held: some of its stock is still taken. */
  items: Array<{ reservationId: string; held: boolean }>;
  /** Pass as afterId for the next page; null after the last one. */
  nextAfterId: string | null;
}

/** Codes of products' answers that callers act on. */
export const ProductsErrorCodes = {
  /** reserve_stock: a line asks for more than is left (details.items: ShortLine[]); nothing taken. */
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  /** reserve_stock: a product is unknown or archived; nothing taken. */
  UNKNOWN_PRODUCT: 'UNKNOWN_PRODUCT',
  /** reserve_stock: the reservation was released before it arrived (its order failed). */
  RESERVATION_RELEASED: 'RESERVATION_RELEASED',
} as const;

export const ProductsMessages = {
  /** Authoritative facts about products, by ids or by names. */
  getMany: message<GetProductsRequest, GetProductsReply>('products', 'get_many', {
    idempotent: true,
  }),
  /** All-or-nothing stock reservation, idempotent per reservationId. */
  reserveStock: message<ReserveStockRequest, ReserveStockReply>('products', 'reserve_stock', {
    idempotent: true,
  }),
  /** Gives back exactly what a reservation took; idempotent. */
  releaseStock: message<ReleaseStockRequest, ReleaseStockReply>('products', 'release_stock', {
    idempotent: true,
  }),
  /**
   * Reservations made or released since an instant, in pages: what an orders database restored
   * from a backup compares with its orders.
   */
  reservationsSince: message<ReservationsSinceRequest, ReservationsSinceReply>(
    'products',
    'reservations_since',
    { idempotent: true },
  ),
  /** Every product (archived included) in pages, for rebuilding a read model. */
  listPage: message<ListProductsPageRequest, ListProductsPageReply>('products', 'list_page', {
    idempotent: true,
  }),
};

export type ProductsApi = ModuleApi<typeof ProductsMessages>;

@Injectable()
export class ProductsClient extends ModuleClient implements ProductsApi {
  constructor(@Inject(rpcClientToken('products')) rpc: RpcClient) {
    super(rpc);
  }

  getMany(request: GetProductsRequest): Promise<GetProductsReply> {
    return this.call(ProductsMessages.getMany, request);
  }

  /** 409 INSUFFICIENT_STOCK (details.items: ShortLine[]) or 422 UNKNOWN_PRODUCT; nothing changed then. */
  reserveStock(request: ReserveStockRequest): Promise<ReserveStockReply> {
    return this.call(ProductsMessages.reserveStock, request);
  }

  releaseStock(request: ReleaseStockRequest): Promise<ReleaseStockReply> {
    return this.call(ProductsMessages.releaseStock, request);
  }

  reservationsSince(request: ReservationsSinceRequest): Promise<ReservationsSinceReply> {
    return this.call(ProductsMessages.reservationsSince, request);
  }

  listPage(request: ListProductsPageRequest): Promise<ListProductsPageReply> {
    return this.call(ProductsMessages.listPage, request);
  }
}
