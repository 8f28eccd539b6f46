import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  ValidateNested,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CategorySlug } from './catalogue.contract';
import { ModuleClient } from './module-client';

export const SearchPatterns = {
  /** A product was created, edited, archived or its stock moved: update the index. */
  productChanged: 'search.product_changed',
  /** Several product changes at once (what an outbox sends when they have queued up). */
  productsChanged: 'search.products_changed',
} as const;

/**
 * Everything search indexes about a product. Sent by products through its outbox; applying the
 * same or an older version again changes nothing, so redelivery is harmless.
 */
export class ProductDocument {
  @IsUUID()
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
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

@Injectable()
export class SearchClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('search')) rpc: RpcClient) {
    super(rpc);
  }

  productChanged(document: ProductDocument): Promise<ProductChangedReply> {
    return this.rpc.send<ProductChangedReply>(SearchPatterns.productChanged, document, {
      idempotent: true,
    });
  }
}
