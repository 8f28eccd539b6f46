import { generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { testDataKeyRing } from '@mfm/platform/testing/test-data-keys';
import { SIGNING_KEY_CONTEXT } from '../personal-data';
import { UsersInitial1763900000000 } from './1763900000000-users-initial';
import { UsersOutbox1763900000005 } from './1763900000005-users-outbox';
import { usersPersonalDataMigration } from './1765000000000-users-personal-data';
import { usersSigningKeysSealedMigration } from './1766100000000-users-signing-keys-sealed';

describe('users migration: signing keys sealed', () => {
  it('seals the private keys stored in plain text, bound to their kid; down opens them again', async () => {
    const keys = testDataKeyRing();
    const db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      migrations: [
        UsersInitial1763900000000,
        UsersOutbox1763900000005,
        usersPersonalDataMigration(keys),
      ],
      migrationsRun: true,
    });
    await db.initialize();
    const kid = '0f3c2b1a-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await db.query(
      'INSERT INTO "signing_key" ("kid", "publicKeyPem", "privateKeyPem") VALUES (?, ?, ?)',
      [kid, pair.publicKey, pair.privateKey],
    );
    const privateOf = async () =>
      (
        await db.query<Array<{ privateKeyPem: string }>>(
          'SELECT "privateKeyPem" FROM "signing_key"',
        )
      )[0].privateKeyPem;
    const migration = new (usersSigningKeysSealedMigration(keys))();
    const runner = db.createQueryRunner();
    try {
      await migration.up(runner);
      const sealed = await privateOf();
      expect(sealed).toMatch(/^enc1\.test\./);
      expect(sealed).not.toContain('PRIVATE KEY');
      expect(keys.open(sealed, DataKeyRing.rowContext(SIGNING_KEY_CONTEXT, kid))).toBe(
        pair.privateKey,
      );
      await migration.up(runner); // a second run leaves sealed values alone
      expect(await privateOf()).toBe(sealed);
      await migration.down(runner);
      expect(await privateOf()).toBe(pair.privateKey);
    } finally {
      await runner.release();
      await db.destroy();
    }
  });
});
