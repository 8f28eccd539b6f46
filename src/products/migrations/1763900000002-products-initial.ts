import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { outboxTable } from '@mfm/platform/outbox/outbox-message.entity';
import { booleanLiteral, timestampType } from '@mfm/platform/database/dialect';

export class ProductsInitial1763900000002 implements MigrationInterface {
  name = 'ProductsInitial1763900000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const datetime = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'product',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'nameKey', type: 'varchar', length: '100' },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'category', type: 'varchar', length: '50' },
          { name: 'priceCents', type: 'integer' },
          { name: 'stock', type: 'integer' },
          { name: 'archived', type: 'boolean', default: booleanLiteral(queryRunner, false) },
          { name: 'version', type: 'integer', default: 1 },
          { name: 'revision', type: 'integer', default: 1 },
          { name: 'createdAt', type: datetime },
          { name: 'updatedAt', type: datetime },
        ],
        checks: [{ expression: '"stock" >= 0' }, { expression: '"priceCents" > 0' }],
      }),
    );
    // Names are unique among live products; an archived name may be used again.
    await queryRunner.createIndex(
      'product',
      new TableIndex({
        name: 'UQ_product_live_name',
        columnNames: ['nameKey'],
        isUnique: true,
        where: `"archived" = ${booleanLiteral(queryRunner, false)}`,
      }),
    );
    await queryRunner.createIndex(
      'product',
      new TableIndex({ name: 'IDX_product_category', columnNames: ['category', 'archived'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'stock_reservation',
        columns: [
          { name: 'reservationId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'productId', type: 'varchar', length: '36', isPrimary: true },
          { name: 'quantity', type: 'integer' },
          { name: 'createdAt', type: datetime },
          { name: 'releasedAt', type: datetime, isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(outboxTable(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox_message', 'stock_reservation', 'product'])
      await queryRunner.dropTable(table);
  }
}
