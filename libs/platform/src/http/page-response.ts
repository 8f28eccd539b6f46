import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** One page of a list, as every paged route answers it. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/**
 * The response class of a paged list of `item`, for the API document (a subclass names the
 * schema: `class OrderPageResponse extends PageResponse(OrderResponse) {}`). `totalExample`
 * also gives page and limit their examples.
 */
export function PageResponse<T>(item: Type<T>, totalExample?: number): Type<Page<T>> {
  const example = (value: number) => (totalExample === undefined ? {} : { example: value });
  class PageOf implements Page<T> {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty(example(totalExample ?? 0))
    total!: number;

    @ApiProperty(example(1))
    page!: number;

    @ApiProperty(example(20))
    limit!: number;
  }
  return PageOf;
}
