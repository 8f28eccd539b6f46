import { ApiProperty } from '@nestjs/swagger';
import type { SynonymGroup } from '../synonym-lookup';

export class SynonymGroupResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: [String],
    example: ['crisps', 'chips'],
    description: 'The words, in lower case without accents, in the order they were given',
  })
  terms!: string[];

  @ApiProperty({ example: 1, description: 'Send it back with an edit' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(group: SynonymGroup): SynonymGroupResponse {
    return {
      id: group.id,
      terms: [...group.terms],
      version: group.version,
      updatedAt: group.updatedAt,
    };
  }
}
