import type { MigrationInterface } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationClass = Function;

/** The names TypeORM records in a database's `migrations` table for these migrations. */
export function migrationNames(migrations: readonly MigrationClass[]): string[] {
  return migrations.map((migration) => {
    const instance = new (migration as new () => MigrationInterface)();
    return instance.name ?? migration.name;
  });
}
