import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';

const CIRCUITS_EXAMPLE = {
  products: { 'products.get_many': 'closed', 'products.reserve_stock': 'open' },
};

/** What one module says about itself (the `<module>.status` message pattern). */
export class ModuleStatus {
  @ApiProperty({ enum: MODULE_NAMES, example: 'orders' })
  module!: ModuleName;

  @ApiProperty({
    enum: ['up', 'down'],
    description: 'up: its database answers, its storage takes writes and it is not shutting down',
  })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ example: '0.1.0', description: 'Absent when the module did not answer' })
  version?: string;

  @ApiPropertyOptional({
    example: 'orders',
    description: 'The process hosting it: `all` in one process, else its modules',
  })
  process?: string;

  @ApiPropertyOptional({
    example: { database: 'up', storage: 'up', draining: false },
    description: 'Its database answers a query; its storage takes writes; it is shutting down',
  })
  checks?: { database: 'up' | 'down'; storage: 'up' | 'down'; draining: boolean };

  @ApiPropertyOptional({
    example: CIRCUITS_EXAMPLE,
    description:
      "The circuit breakers of its process's calls, per peer and pattern: closed, half_open or open",
  })
  circuits?: Record<string, Record<string, string>>;

  @ApiPropertyOptional({
    example: 'The orders service is unavailable',
    description: 'Why the module could not be asked',
  })
  error?: string;
}

/** The whole store at a glance, from any process. */
export class StoreStatus {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description: 'ok when every module is up',
  })
  status!: 'ok' | 'degraded';

  @ApiProperty({ example: '0.1.0', description: 'The version of the process that answered' })
  version!: string;

  @ApiProperty({ type: [ModuleStatus] })
  modules!: ModuleStatus[];
}
