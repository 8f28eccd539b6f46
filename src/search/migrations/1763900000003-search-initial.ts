import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTable } from '@mfm/platform/outbox/outbox-message.entity';
import { dialectOf } from '@mfm/platform/database/dialect';
import { PG_SEARCH_DDL } from '../pg-search-index';

/**
 * The search read model on SQLite: a product table fed by product events, and an FTS5 index over
 * name, category and description kept in step by triggers. `unicode61 remove_diacritics 2` folds
 * case and accents ("creme" finds "Crème"); prefix indexes make typing-as-you-go queries cheap.
 */
export class SearchInitial1763900000003 implements MigrationInterface {
  name = 'SearchInitial1763900000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (dialectOf(queryRunner) === 'postgres') {
      // The same read model with a tsvector column and a GIN index (see pg-search-index.ts).
      for (const statement of PG_SEARCH_DDL) await queryRunner.query(statement);
      await queryRunner.createTable(outboxTable(queryRunner));
      return;
    }
    await queryRunner.query(`
      CREATE TABLE search_product (
        docId INTEGER PRIMARY KEY AUTOINCREMENT,
        id VARCHAR(36) NOT NULL UNIQUE,
        name VARCHAR(100) NOT NULL,
        nameKey VARCHAR(100) NOT NULL,
        description TEXT,
        category VARCHAR(50) NOT NULL,
        priceCents INTEGER NOT NULL,
        stock INTEGER NOT NULL,
        archived BOOLEAN NOT NULL,
        version INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        createdAt VARCHAR(30) NOT NULL,
        updatedAt VARCHAR(30) NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX IDX_search_product_listing ON search_product (archived, category, priceCents)',
    );
    await queryRunner.query(
      'CREATE INDEX IDX_search_product_name ON search_product (archived, nameKey)',
    );
    await queryRunner.query(`
      CREATE VIRTUAL TABLE search_fts USING fts5(
        name, category, description,
        content='search_product', content_rowid='docId',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
      )`);
    await queryRunner.query(`
      CREATE TRIGGER search_product_ai AFTER INSERT ON search_product BEGIN
        INSERT INTO search_fts(rowid, name, category, description)
        VALUES (new.docId, new.name, new.category, coalesce(new.description, ''));
      END`);
    await queryRunner.query(`
      CREATE TRIGGER search_product_ad AFTER DELETE ON search_product BEGIN
        INSERT INTO search_fts(search_fts, rowid, name, category, description)
        VALUES ('delete', old.docId, old.name, old.category, coalesce(old.description, ''));
      END`);
    await queryRunner.query(`
      CREATE TRIGGER search_product_au AFTER UPDATE OF name, category, description ON search_product BEGIN
        INSERT INTO search_fts(search_fts, rowid, name, category, description)
        VALUES ('delete', old.docId, old.name, old.category, coalesce(old.description, ''));
        INSERT INTO search_fts(rowid, name, category, description)
        VALUES (new.docId, new.name, new.category, coalesce(new.description, ''));
      END`);
    await queryRunner.createTable(outboxTable(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_message');
    if (dialectOf(queryRunner) === 'postgres') {
      await queryRunner.query('DROP TABLE search_product');
      return;
    }
    for (const trigger of ['search_product_au', 'search_product_ad', 'search_product_ai'])
      await queryRunner.query(`DROP TRIGGER ${trigger}`);
    await queryRunner.query('DROP TABLE search_fts');
    await queryRunner.query('DROP TABLE search_product');
  }
}
