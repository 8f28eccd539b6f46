import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { timestampType } from '@mfm/platform/database/dialect';

export class LoggingInitial1763900000001 implements MigrationInterface {
  name = 'LoggingInitial1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'eventId', type: 'varchar', length: '36', isUnique: true },
          { name: 'type', type: 'varchar', length: '50' },
          { name: 'actorUserId', type: 'varchar', length: '36', isNullable: true },
          { name: 'actorUsername', type: 'varchar', length: '64', isNullable: true },
          { name: 'subjectKind', type: 'varchar', length: '16' },
          { name: 'subjectId', type: 'varchar', length: '64' },
          { name: 'subjectName', type: 'varchar', length: '200', isNullable: true },
          { name: 'occurredAt', type: timestampType(queryRunner) },
          { name: 'requestId', type: 'varchar', length: '128', isNullable: true },
          { name: 'payload', type: 'text', isNullable: true },
        ],
        indices: [
          { columnNames: ['type'] },
          { columnNames: ['actorUsername'] },
          { columnNames: ['subjectKind', 'subjectId'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_event');
  }
}
