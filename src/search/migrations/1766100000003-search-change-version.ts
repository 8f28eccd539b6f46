import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which change of the index last wrote each product (the index version of its transaction), and
 * the version of the last clear: a replica keeping the index in memory reads only the products
 * changed since the version it holds, or everything again after a clear.
 */
export class SearchChangeVersion1766100000003 implements MigrationInterface {
  name = 'SearchChangeVersion1766100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE search_product ADD COLUMN "changeVersion" bigint NOT NULL DEFAULT 0',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_search_product_change" ON search_product ("changeVersion")',
    );
    await queryRunner.query(
      'ALTER TABLE search_index_state ADD COLUMN "clearedVersion" bigint NOT NULL DEFAULT 0',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE search_index_state DROP COLUMN "clearedVersion"');
    await queryRunner.query('DROP INDEX "IDX_search_product_change"');
    await queryRunner.query('ALTER TABLE search_product DROP COLUMN "changeVersion"');
  }
}
