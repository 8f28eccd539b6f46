import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class ListLogsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  /** @example "login" */
  @IsOptional()
  @Matches(/^[a-z][a-z_]{1,48}$/, { message: 'type must be an event type such as login' })
  type?: string;

  /** Events whose actor is this user. @example "customer" */
  @IsOptional()
  @MaxLength(64)
  username?: string;

  /** Events about this product. */
  @IsOptional()
  @IsUUID()
  productId?: string;

  /** Events about the product of this name (ignoring case). @example "Whole milk 1 l" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  productName?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
