import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export const STORAGE_PROBE_TABLE = 'storage_probe';

/**
 * One row that a module rewrites to learn whether its storage takes writes again after a fault
 * (a full disk, an I/O error). Every module database gets it, on both engines.
 */
export class StorageProbe1764400000000 implements MigrationInterface {
  name = 'StorageProbe1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: STORAGE_PROBE_TABLE,
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'filler', type: 'text' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(STORAGE_PROBE_TABLE);
  }
}
