import { testDataKeyRing } from '@mfm/platform/testing/test-data-keys';
import { DataSource } from 'typeorm';
import { USERS_ENTITIES, usersMigrationsWith } from './users-schema';

/** A migrated users database in memory, for the module's unit tests (random data keys). */
export async function usersTestDb(): Promise<DataSource> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: USERS_ENTITIES,
    migrations: usersMigrationsWith(testDataKeyRing()),
    migrationsRun: true,
  });
  return db.initialize();
}
