import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { outboxClaimColumns } from './outbox-message.entity';

const TABLE = 'outbox_message';
const KEY_INDEX = 'IDX_outbox_message_order_key';

/**
 * Claiming of outbox rows (several replicas of a module deliver each message once, in order per
 * aggregate) and the trace context of each message. A platform migration every module database
 * gets: it changes the outbox table of the modules that have one (their own migrations create
 * it) and does nothing elsewhere. Tables created after it already have the columns.
 */
export class OutboxClaims1764700000000 implements MigrationInterface {
  name = 'OutboxClaims1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable(TABLE);
    if (!table) return;
    for (const column of outboxClaimColumns(queryRunner)) {
      if (!table.findColumnByName(column.name))
        await queryRunner.addColumn(TABLE, new TableColumn(column));
    }
    if (!table.indices.some((index) => index.name === KEY_INDEX))
      await queryRunner.createIndex(
        TABLE,
        new TableIndex({ name: KEY_INDEX, columnNames: ['target', 'orderKey', 'deliveredAt'] }),
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable(TABLE);
    if (!table) return;
    if (table.indices.some((index) => index.name === KEY_INDEX))
      await queryRunner.dropIndex(TABLE, KEY_INDEX);
    for (const column of outboxClaimColumns(queryRunner).reverse())
      if (table.findColumnByName(column.name)) await queryRunner.dropColumn(TABLE, column.name);
  }
}
