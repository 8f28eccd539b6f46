import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { PageQuery } from '@mfm/platform/http/page.query';

export class ListLogsQuery extends PageQuery {
  // Stated explicitly: the inherited property's generated metadata would otherwise document the
  // page's default of 20 in a process that loaded other page queries first.
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 100 })
  override limit: number = 50;

  /** Time order: oldest first (asc, the default) or newest first (desc, what a log viewer shows). */
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';

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

  /**
   * The `nextCursor` of the previous page, sent with that page's number + 1: the page then starts
   * right after the previous one's last event instead of counting an offset (same answer, cheaper
   * on deep pages). Only valid with the same filters, order and limit.
   */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
