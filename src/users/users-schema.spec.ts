import { usersTestDb } from './users-test-db.spec-helper';

/**
 * The entities describe the tables the migrations build: every column an entity maps is there,
 * with the same key and nullability. An entity changed without a migration fails here.
 */
describe('users schema', () => {
  it('maps every entity column onto a column the migrations built, alike in key and null', async () => {
    const db = await usersTestDb();
    const runner = db.createQueryRunner();
    try {
      for (const entity of db.entityMetadatas) {
        const table = await runner.getTable(entity.tablePath);
        const built = new Map(table?.columns.map((column) => [column.name, column]));
        for (const column of entity.columns) {
          const there = built.get(column.databaseName);
          const want = {
            column: `${entity.tableName}.${column.databaseName}`,
            primary: column.isPrimary,
            nullable: column.isNullable,
          };
          expect({
            column: want.column,
            primary: there?.isPrimary,
            nullable: there?.isNullable,
          }).toEqual(want);
        }
      }
    } finally {
      await runner.release();
      await db.destroy();
    }
  });
});
