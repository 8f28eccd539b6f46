import { Module } from '@nestjs/common';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { auditOutboxProvider } from '@mfm/platform/outbox/audit-outbox.provider';
import { OutboxEvent } from '@mfm/platform/outbox/outbox-event.entity';
import { Product } from './entities/product.entity';
import { StockReservation } from './entities/stock-reservation.entity';
import { ProductsInitial1763900000002 } from './migrations/1763900000002-products-initial';
import { ProductsController } from './products.controller';
import { ProductsHandlers } from './products.handlers';
import { ProductsService } from './products.service';
import { CatalogueSeed } from './seed/catalogue-seed.service';
import { StockService } from './stock.service';

/** The catalogue, prices and stock. */
@Module({
  imports: [
    moduleDatabase('products', { entities: [Product, StockReservation, OutboxEvent], migrations: [ProductsInitial1763900000002] }),
  ],
  controllers: [ProductsController, ProductsHandlers],
  providers: [ProductsService, StockService, CatalogueSeed, auditOutboxProvider('products')],
})
export class ProductsModule {}
