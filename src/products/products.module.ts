import { Module } from '@nestjs/common';
import { moduleDatabase } from '@mfm/platform/database/module-database';

/**
 * The products context. Its own database exists from the start (checked by /ready); its entities,
 * routes and message patterns arrive with its issue.
 */
@Module({
  imports: [moduleDatabase('products', { entities: [], migrations: [] })],
})
export class ProductsModule {}
