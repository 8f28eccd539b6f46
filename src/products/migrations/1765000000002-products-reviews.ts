import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { booleanLiteral, timestampType } from '@mfm/platform/database/dialect';

/** Reviews, and each product's rating (average and count of its visible reviews). */
export class ProductsReviews1765000000002 implements MigrationInterface {
  name = 'ProductsReviews1765000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const datetime = timestampType(queryRunner);
    await queryRunner.query('ALTER TABLE "product" ADD COLUMN "ratingAverage" float NULL');
    await queryRunner.query(
      'ALTER TABLE "product" ADD COLUMN "ratingCount" integer NOT NULL DEFAULT 0',
    );
    await queryRunner.createTable(
      new Table({
        name: 'product_review',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'productId', type: 'varchar', length: '36' },
          { name: 'userId', type: 'varchar', length: '36' },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'rating', type: 'integer' },
          { name: 'text', type: 'text' },
          { name: 'hidden', type: 'boolean', default: booleanLiteral(queryRunner, false) },
          { name: 'hiddenReason', type: 'varchar', length: '500', isNullable: true },
          { name: 'hiddenBy', type: 'varchar', length: '64', isNullable: true },
          { name: 'createdAt', type: datetime },
          { name: 'updatedAt', type: datetime },
        ],
        checks: [{ expression: '"rating" BETWEEN 1 AND 5' }],
      }),
    );
    await queryRunner.createIndex(
      'product_review',
      new TableIndex({
        name: 'UQ_product_review_author',
        columnNames: ['productId', 'userId'],
        isUnique: true,
      }),
    );
    await queryRunner.createIndex(
      'product_review',
      new TableIndex({
        name: 'IDX_product_review_page',
        columnNames: ['productId', 'hidden', 'createdAt'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('product_review');
  }
}
