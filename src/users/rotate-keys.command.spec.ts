import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { SigningKey } from './sessions/signing-key.entity';
import { SIGNING_KEY_CONTEXT, usePersonalDataKeys } from './personal-data';
import { rotateKeys } from './rotate-keys.command';
import { SigningKeysService } from './sessions/signing-keys.service';
import { USERS_ENTITIES, usersMigrationsWith } from './users-schema';

describe('rotateKeys (real SQLite, in memory)', () => {
  const oldKey = { id: 'old', key: randomBytes(32) };
  const newKey = { id: 'new', key: randomBytes(32) };
  const indexKey = randomBytes(32);
  let db: DataSource;
  let runner: TransactionRunner;

  beforeEach(async () => {
    db = await testDatabase(
      USERS_ENTITIES,
      usersMigrationsWith(new DataKeyRing({ encryptionKeys: [oldKey], indexKey })),
    );
    runner = new TransactionRunner(db, 'users');
  });

  afterEach(async () => {
    runner.onApplicationShutdown();
    await db.destroy();
  });

  it('re-seals the private signing keys under the newest key, each still bound to its kid', async () => {
    const before = new SigningKeysService(db.getRepository(SigningKey), runner);
    await before.onModuleInit();
    await before.rotate();
    const kids = () =>
      db.query<Array<{ kid: string; privateKeyPem: string }>>(
        'SELECT "kid", "privateKeyPem" FROM "signing_key" ORDER BY "createdAt"',
      );
    expect((await kids()).map((r) => r.privateKeyPem.slice(0, 8))).toEqual([
      'enc1.old',
      'enc1.old',
    ]);

    const both = new DataKeyRing({ encryptionKeys: [newKey, oldKey], indexKey });
    const report = await rotateKeys(db, both);
    expect(report).toMatchObject({ keyId: 'new', rows: 2, values: 2 });
    for (const row of await kids()) {
      expect(row.privateKeyPem).toMatch(/^enc1\.new\./);
      expect(
        both.open(row.privateKeyPem, DataKeyRing.rowContext(SIGNING_KEY_CONTEXT, row.kid)),
      ).toContain('BEGIN PRIVATE KEY');
    }
    await expect(rotateKeys(db, both)).resolves.toMatchObject({ rows: 0, values: 0 });

    // The old key can go: the same signing keys load under the new one alone.
    usePersonalDataKeys(new DataKeyRing({ encryptionKeys: [newKey], indexKey }));
    const after = new SigningKeysService(db.getRepository(SigningKey), runner);
    await after.onModuleInit();
    expect(after.signingKey().kid).toBe(before.signingKey().kid);
    expect(after.signingKey().privateKeyPem).toBe(before.signingKey().privateKeyPem);
  });
});
