import { DataSource, type Logger } from 'typeorm';
import { Product } from './entities/product.entity';
import { ProductReview } from './entities/product-review.entity';
import { StockReservation } from './entities/stock-reservation.entity';
import { ProductsInitial1763900000002 } from './migrations/1763900000002-products-initial';
import { ProductsReviews1765000000002 } from './migrations/1765000000002-products-reviews';
import { ProductsCatalogueSorts1766000000002 } from './migrations/1766000000002-products-catalogue-sorts';

/** The products schema, migrated, in an in-memory SQLite database: for plan and query tests. */
export function productsTestDatabase(logger?: Logger): Promise<DataSource> {
  return new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [Product, StockReservation, ProductReview],
    migrations: [
      ProductsInitial1763900000002,
      ProductsReviews1765000000002,
      ProductsCatalogueSorts1766000000002,
    ],
    migrationsRun: true,
    ...(logger && { logging: ['query' as const], logger }),
  }).initialize();
}
