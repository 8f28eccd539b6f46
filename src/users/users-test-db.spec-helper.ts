import type { DataSource } from 'typeorm';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { testDataKeyRing } from '@mfm/platform/testing/test-data-keys';
import { USERS_ENTITIES, usersMigrationsWith } from './users-schema';

/** A migrated users database in memory, for the module's unit tests (random data keys). */
export const usersTestDb = (): Promise<DataSource> =>
  testDatabase(USERS_ENTITIES, usersMigrationsWith(testDataKeyRing()));
