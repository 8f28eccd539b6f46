import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups of words a search treats as the same (crisps ~ chips), managed by employees. Unlike the
 * index, they are not derived from the catalogue: backups keep them. `terms` is a JSON array of
 * folded single words; times are ISO strings, as in search_product.
 */
export class SearchSynonyms1767100000003 implements MigrationInterface {
  name = 'SearchSynonyms1767100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE search_synonym (
        "id" VARCHAR(36) PRIMARY KEY,
        "terms" TEXT NOT NULL,
        "version" INTEGER NOT NULL DEFAULT 1,
        "createdAt" VARCHAR(30) NOT NULL,
        "updatedAt" VARCHAR(30) NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE search_synonym');
  }
}
