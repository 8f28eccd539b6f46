import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each product's rating in the index, so searches filter and sort by it. */
export class SearchRatings1765000000003 implements MigrationInterface {
  name = 'SearchRatings1765000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE search_product ADD COLUMN "ratingAverage" float NULL');
    await queryRunner.query(
      'ALTER TABLE search_product ADD COLUMN "ratingCount" integer NOT NULL DEFAULT 0',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE search_product DROP COLUMN "ratingCount"');
    await queryRunner.query('ALTER TABLE search_product DROP COLUMN "ratingAverage"');
  }
}
