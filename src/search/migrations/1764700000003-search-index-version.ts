import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row counting the changes applied to the index. Every replica of the search module bumps
 * it in the transaction that changes the index and reads it before answering from its result
 * cache, so no replica serves a cached result older than a change another replica applied.
 */
export class SearchIndexVersion1764700000003 implements MigrationInterface {
  name = 'SearchIndexVersion1764700000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE search_index_state ("id" integer PRIMARY KEY, "version" bigint NOT NULL)',
    );
    await queryRunner.query('INSERT INTO search_index_state ("id", "version") VALUES (1, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE search_index_state');
  }
}
