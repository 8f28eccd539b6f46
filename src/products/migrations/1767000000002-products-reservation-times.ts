import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Reservations by when they were made and released: a store restored from a backup asks for the
 * ones that changed after its orders were saved, without reading every reservation ever made.
 */
export class ProductsReservationTimes1767000000002 implements MigrationInterface {
  name = 'ProductsReservationTimes1767000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'stock_reservation',
      new TableIndex({ name: 'IDX_stock_reservation_created', columnNames: ['createdAt'] }),
    );
    await queryRunner.createIndex(
      'stock_reservation',
      new TableIndex({ name: 'IDX_stock_reservation_released', columnNames: ['releasedAt'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('stock_reservation', 'IDX_stock_reservation_released');
    await queryRunner.dropIndex('stock_reservation', 'IDX_stock_reservation_created');
  }
}
