import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { Product } from './entities/product.entity';
import { ProductReview } from './entities/product-review.entity';
import { StockReservation } from './entities/stock-reservation.entity';
import { ProductsInitial1763900000002 } from './migrations/1763900000002-products-initial';
import { ProductsReviews1765000000002 } from './migrations/1765000000002-products-reviews';
import { ProductsCatalogueSorts1766000000002 } from './migrations/1766000000002-products-catalogue-sorts';
import { ProductsReservationTimes1767000000002 } from './migrations/1767000000002-products-reservation-times';

/** The products database: its entities and the migrations that build it (the module, its tests, backups). */
export const PRODUCTS_ENTITIES = [Product, StockReservation, OutboxMessage, ProductReview];
export const PRODUCTS_MIGRATIONS = [
  ProductsInitial1763900000002,
  ProductsReviews1765000000002,
  ProductsCatalogueSorts1766000000002,
  ProductsReservationTimes1767000000002,
];
