import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '@mfm/platform/database/dialect';

const REINDEX_TEXT = `
    INSERT INTO search_fts(search_fts, rowid, name, category, description)
    VALUES ('delete', old.docId, old.name, old.category, coalesce(old.description, ''));
    INSERT INTO search_fts(rowid, name, category, description)
    VALUES (new.docId, new.name, new.category, coalesce(new.description, ''));`;

/**
 * SQLite: the FTS index follows a product's text only when the text changed. The upsert sets
 * every column, and an `AFTER UPDATE OF name, …` trigger fires whenever those columns are set,
 * equal or not: every stock move and price change re-indexed the product's words.
 */
export class SearchFtsTextChanges1767200000003 implements MigrationInterface {
  name = 'SearchFtsTextChanges1767200000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (dialectOf(queryRunner) === 'postgres') return;
    await queryRunner.query('DROP TRIGGER search_product_au');
    await queryRunner.query(`
      CREATE TRIGGER search_product_au AFTER UPDATE OF name, category, description ON search_product
      WHEN old.name IS NOT new.name OR old.category IS NOT new.category
        OR old.description IS NOT new.description
      BEGIN ${REINDEX_TEXT}
      END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (dialectOf(queryRunner) === 'postgres') return;
    await queryRunner.query('DROP TRIGGER search_product_au');
    await queryRunner.query(`
      CREATE TRIGGER search_product_au AFTER UPDATE OF name, category, description ON search_product
      BEGIN ${REINDEX_TEXT}
      END`);
  }
}
