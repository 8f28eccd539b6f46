import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { outboxTable } from '@mfm/platform/outbox/outbox-message.entity';
import { timestampType } from '@mfm/platform/database/dialect';

export class OrdersInitial1763900000004 implements MigrationInterface {
  name = 'OrdersInitial1763900000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const datetime = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'customer_order',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'userId', type: 'varchar', length: '36' },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'failure', type: 'text', isNullable: true },
          { name: 'requested', type: 'text' },
          { name: 'lines', type: 'text', isNullable: true },
          { name: 'subtotalCents', type: 'integer', isNullable: true },
          { name: 'taxCents', type: 'integer', isNullable: true },
          { name: 'totalCents', type: 'integer', isNullable: true },
          { name: 'createdAt', type: datetime },
          { name: 'updatedAt', type: datetime },
        ],
        indices: [
          { columnNames: ['userId', 'createdAt'] },
          { columnNames: ['status', 'createdAt'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_record',
        columns: [
          { name: 'userId', type: 'varchar', length: '36', isPrimary: true },
          { name: 'key', type: 'varchar', length: '128', isPrimary: true },
          { name: 'requestHash', type: 'varchar', length: '64' },
          { name: 'orderId', type: 'varchar', length: '36' },
          { name: 'responseStatus', type: 'integer', isNullable: true },
          { name: 'responseBody', type: 'text', isNullable: true },
          { name: 'createdAt', type: datetime },
        ],
      }),
    );
    await queryRunner.createTable(outboxTable(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox_message', 'idempotency_record', 'customer_order'])
      await queryRunner.dropTable(table);
  }
}
