import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The transaction that finishes an order (the request itself, or crash recovery, which knows
 * only the order) stores the response on the order's idempotency record: found by orderId.
 */
export class IdempotencyByOrder1763900000006 implements MigrationInterface {
  name = 'IdempotencyByOrder1763900000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'idempotency_record',
      new TableIndex({ name: 'IDX_idempotency_record_order', columnNames: ['orderId'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('idempotency_record', 'IDX_idempotency_record_order');
  }
}
