import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Pruning old events of one type reads them by (type, time): this keeps it off a table scan. */
export class LoggingRetentionIndex1764400000001 implements MigrationInterface {
  name = 'LoggingRetentionIndex1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'audit_event',
      new TableIndex({ name: 'IDX_audit_event_type_time', columnNames: ['type', 'occurredAt'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_event', 'IDX_audit_event_type_time');
  }
}
