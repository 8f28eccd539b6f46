import { Inject, Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  ValidateNested,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  Max,
  IsUUID,
  Min,
} from 'class-validator';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { CategorySlug, ProductDescription, ProductName } from './catalogue.contract';
import { message, type ModuleApi } from './message';
import { ModuleClient } from './module-client';

/**
 * Everything search indexes about a product. Sent by products through its outbox; applying the
 * same or an older version again changes nothing, so redelivery is harmless.
 */
export class ProductDocument {
  @IsUUID()
  id!: string;

  @ProductName()
  name!: string;

  @ProductDescription()
  description?: string | null;

  @CategorySlug()
  category!: string;

  @IsInt()
  @Min(1)
  priceCents!: number;

  @IsInt()
  @Min(0)
  stock!: number;

  @IsBoolean()
  archived!: boolean;

  /** The edit version (optimistic concurrency of employee edits). */
  @IsInt()
  @Min(1)
  version!: number;

  /** Grows with every change of the product, edits and stock moves alike: the index keeps the highest. */
  @IsInt()
  @Min(1)
  revision!: number;

  /** Average of the visible reviews' ratings; null (or absent, from older senders) without reviews. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(5)
  ratingAverage?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  ratingCount?: number;

  @IsISO8601()
  createdAt!: string;

  @IsISO8601()
  updatedAt!: string;
}

export class ProductChangesBatch {
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ProductDocument)
  items!: ProductDocument[];
}

export interface ProductChangedReply {
  id: string;
  /** False when the index already had this version or a newer one. */
  applied: boolean;
}

export interface ProductChangesReply {
  /** How many documents changed the index. */
  applied: number;
}

export const SearchMessages = {
  /**
   * A product was created, edited, archived or its stock moved: update the index. Applying the
   * same or an older revision again changes nothing.
   */
  productChanged: message<ProductDocument, ProductChangedReply>('search', 'product_changed', {
    idempotent: true,
  }),
  /** Several product changes at once (what an outbox sends when they have queued up). */
  productsChanged: message<ProductChangesBatch, ProductChangesReply>('search', 'products_changed', {
    idempotent: true,
  }),
};

export type SearchApi = ModuleApi<typeof SearchMessages>;

@Injectable()
export class SearchClient extends ModuleClient implements SearchApi {
  constructor(@Inject(rpcClientToken('search')) rpc: RpcClient) {
    super(rpc);
  }

  productChanged(document: ProductDocument): Promise<ProductChangedReply> {
    return this.call(SearchMessages.productChanged, document);
  }

  productsChanged(batch: ProductChangesBatch): Promise<ProductChangesReply> {
    return this.call(SearchMessages.productsChanged, batch);
  }
}
