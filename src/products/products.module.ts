import { Module } from '@nestjs/common';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { ProductsClassicAdapter } from './classic/products-classic.adapter';
import { ProductsController } from './products.controller';
import { PRODUCTS_ENTITIES, PRODUCTS_MIGRATIONS } from './products-schema';
import { CataloguePages } from './catalogue-pages.service';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';
import { ProductsHandlers } from './products.handlers';
import { ProductsService } from './products.service';
import { CatalogueSeed } from './seed/catalogue-seed.service';
import { StockService } from './stock.service';

/** The catalogue, prices and stock. */
@Module({
  imports: [
    moduleDatabase('products', {
      entities: PRODUCTS_ENTITIES,
      migrations: PRODUCTS_MIGRATIONS,
    }),
  ],
  controllers: [ProductsController, ReviewsController, ProductsHandlers],
  providers: [
    ...peerClients('products'),
    ProductsService,
    CataloguePages,
    ReviewsService,
    StockService,
    CatalogueSeed,
    outboxProvider('products'),
    ProductsClassicAdapter,
    { provide: classicAdapterToken('products'), useExisting: ProductsClassicAdapter },
  ],
})
export class ProductsModule {}
