import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * One index per sort the catalogue offers, with and without a category, each in the order the page
 * reads (filter columns, sort column, id): the page walks the index and stops after its rows
 * instead of sorting every product of the category first. The rating sort reads rated products
 * (ratingAverage, id) and then unrated ones (ratingAverage IS NULL, by id) from the same index.
 */
export const CATALOGUE_SORT_INDEXES = [
  ['name', 'nameKey'],
  ['price', 'priceCents'],
  ['updated', 'updatedAt'],
  ['rating', 'ratingAverage'],
] as const;

export class ProductsCatalogueSorts1766000000002 implements MigrationInterface {
  name = 'ProductsCatalogueSorts1766000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [sort, column] of CATALOGUE_SORT_INDEXES) {
      await queryRunner.createIndex(
        'product',
        new TableIndex({
          name: `IDX_product_category_${sort}`,
          columnNames: ['category', 'archived', column, 'id'],
        }),
      );
      await queryRunner.createIndex(
        'product',
        new TableIndex({ name: `IDX_product_${sort}`, columnNames: ['archived', column, 'id'] }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [sort] of CATALOGUE_SORT_INDEXES) {
      await queryRunner.dropIndex('product', `IDX_product_category_${sort}`);
      await queryRunner.dropIndex('product', `IDX_product_${sort}`);
    }
  }
}
