import { DataSource, MixedList } from 'typeorm';
import { PLATFORM_MIGRATIONS } from '../platform-migrations';

/**
 * A module's database in memory, migrated as on start (the module's migrations, then the
 * platform's), for unit tests that run a service on real SQL.
 */
export async function testDatabase(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[],
): Promise<DataSource> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities,
    migrations: [...migrations, ...PLATFORM_MIGRATIONS],
    migrationsRun: true,
  });
  return db.initialize();
}
