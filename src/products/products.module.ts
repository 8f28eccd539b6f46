import { Module } from '@nestjs/common';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { Product } from './entities/product.entity';
import { StockReservation } from './entities/stock-reservation.entity';
import { ProductsInitial1763900000002 } from './migrations/1763900000002-products-initial';
import { ProductsClassicAdapter } from './classic/products-classic.adapter';
import { ProductsController } from './products.controller';
import { ProductReview } from './entities/product-review.entity';
import { ProductsReviews1765000000002 } from './migrations/1765000000002-products-reviews';
import { ProductsCatalogueSorts1766000000002 } from './migrations/1766000000002-products-catalogue-sorts';
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
      entities: [Product, StockReservation, OutboxMessage, ProductReview],
      migrations: [
        ProductsInitial1763900000002,
        ProductsReviews1765000000002,
        ProductsCatalogueSorts1766000000002,
      ],
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
