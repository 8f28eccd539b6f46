import { DataSource } from 'typeorm';
import { testDataKeyRing } from '@mfm/platform/testing/test-data-keys';
import { emailIndex } from '../personal-data';
import { usersPersonalDataMigration } from './1765000000000-users-personal-data';
import { UsersInitial1763900000000 } from './1763900000000-users-initial';
import { UsersOutbox1763900000005 } from './1763900000005-users-outbox';

describe('users migration: personal data at rest', () => {
  it('seals the names and email of accounts written before encryption, and counts them verified', async () => {
    const keys = testDataKeyRing();
    const before = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      migrations: [UsersInitial1763900000000, UsersOutbox1763900000005],
      migrationsRun: true,
    });
    await before.initialize();
    await before.query(
      `INSERT INTO "user" ("id", "username", "usernameKey", "email", "emailKey", "firstName", "lastName", "passwordHash", "role")
       VALUES ('11111111-1111-4111-8111-111111111111', 'old', 'old', 'Old.Timer@Example.com', 'old.timer@example.com', 'Olive', 'Oldham', 'x', 'customer')`,
    );
    const migration = new (usersPersonalDataMigration(keys))();
    const runner = before.createQueryRunner();
    await migration.up(runner);
    await runner.release();
    const [row] = await before.query<Array<Record<string, string | null>>>(
      'SELECT "email", "emailKey", "firstName", "lastName", "emailVerifiedAt", "createdAt" FROM "user"',
    );
    expect(keys.open(row.email as string, 'user.email')).toBe('Old.Timer@Example.com');
    expect(keys.open(row.firstName as string, 'user.firstName')).toBe('Olive');
    expect(keys.open(row.lastName as string, 'user.lastName')).toBe('Oldham');
    expect(row.emailKey).toBe(emailIndex('old.timer@example.com', keys));
    expect(row.emailVerifiedAt).toBe(row.createdAt);
    expect(JSON.stringify(row)).not.toMatch(/Olive|Oldham|timer/i);
    await before.destroy();
  });
});
