import { DataSource } from 'typeorm';
import { USERS_ENTITIES, USERS_MIGRATIONS } from './users-schema';

/** A migrated users database in memory, for the module's unit tests. */
export async function usersTestDb(): Promise<DataSource> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: USERS_ENTITIES,
    migrations: USERS_MIGRATIONS,
    migrationsRun: true,
  });
  return db.initialize();
}
