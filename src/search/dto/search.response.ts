import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SearchHit {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Dark chocolate 70% 100 g' })
  name!: string;

  @ApiProperty({ example: 'pantry' })
  category!: string;

  @ApiProperty({ example: 249, description: 'Cents' })
  priceCents!: number;

  @ApiProperty({ example: 55 })
  stock!: number;

  @ApiProperty()
  inStock!: boolean;

  @ApiProperty({
    type: 'number',
    format: 'double',
    nullable: true,
    example: 4.5,
    description: 'Average rating of its visible reviews; null without reviews',
  })
  ratingAverage!: number | null;

  @ApiProperty({ example: 12 })
  ratingCount!: number;

  @ApiProperty({
    type: 'number',
    format: 'double',
    example: 7.31,
    description: 'Relevance (higher is better; 0 without a query)',
  })
  score!: number;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'manager',
    description: 'Who created or last edited it (audit log)',
  })
  lastModifiedBy!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  lastModifiedAt!: string | null;
}

export class CategoryFacet {
  @ApiProperty({ example: 'dairy' })
  category!: string;

  @ApiProperty({ example: 4 })
  count!: number;
}

export class SearchResponse {
  @ApiProperty({ type: [SearchHit] })
  items!: SearchHit[];

  @ApiProperty({ example: 12 })
  total!: number;

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({
    type: [CategoryFacet],
    description:
      'Hits per category for this query and the other filters (the category filter aside)',
  })
  facets!: CategoryFacet[];

  @ApiProperty({
    description: 'False when the audit log could not be reached: lastModified fields are then null',
  })
  metadataComplete!: boolean;
}

export class ReindexJobResponse {
  @ApiProperty({
    enum: ['idle', 'running', 'done', 'failed'],
    description: 'idle: no rebuild since the start; running; done; failed (see error)',
  })
  state!: 'idle' | 'running' | 'done' | 'failed';

  @ApiProperty({ example: 51, description: 'Products read from the catalogue so far' })
  read!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last rebuild failed' })
  error!: string | null;
}
