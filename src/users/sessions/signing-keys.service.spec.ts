import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { testDataKeyRing } from '@mfm/platform/testing/test-data-keys';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { SigningKey } from './signing-key.entity';
import { SIGNING_KEY_CONTEXT } from '../personal-data';
import { USERS_ENTITIES, usersMigrationsWith } from '../users-schema';
import { SigningKeysService } from './signing-keys.service';

describe('SigningKeysService (real SQLite, in memory): private keys sealed at rest', () => {
  let db: DataSource;
  let runner: TransactionRunner;
  let keys: DataKeyRing;
  const service = () => new SigningKeysService(db.getRepository(SigningKey), runner);
  const stored = () =>
    db.query<Array<{ kid: string; publicKeyPem: string; privateKeyPem: string }>>(
      'SELECT "kid", "publicKeyPem", "privateKeyPem" FROM "signing_key" ORDER BY "createdAt"',
    );
  const signs = (key: SigningKey) => {
    const signature = createSign('RSA-SHA256').update('x').sign(key.privateKeyPem);
    return createVerify('RSA-SHA256').update('x').verify(key.publicKeyPem, signature);
  };

  beforeEach(async () => {
    keys = testDataKeyRing();
    db = await testDatabase(USERS_ENTITIES, usersMigrationsWith(keys));
    runner = new TransactionRunner(db, 'users');
  });

  afterEach(async () => {
    runner.onApplicationShutdown();
    await db.destroy();
  });

  it('stores no PEM of a private key: it is sealed under the data key and bound to its kid', async () => {
    const first = service();
    await first.onModuleInit();
    await first.rotate();
    const rows = await stored();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.privateKeyPem).not.toMatch(/PRIVATE KEY|-----/);
      expect(row.privateKeyPem).toMatch(/^enc1\.test\./);
      expect(
        keys.open(row.privateKeyPem, DataKeyRing.rowContext(SIGNING_KEY_CONTEXT, row.kid)),
      ).toContain('BEGIN PRIVATE KEY');
    }
    // A restart opens them again: the same keys sign, and verify what the first process signed.
    const again = service();
    await again.onModuleInit();
    expect(again.signingKey().kid).toBe(first.signingKey().kid);
    expect(again.signingKey().privateKeyPem).toBe(first.signingKey().privateKeyPem);
    expect(signs(again.signingKey())).toBe(true);
    expect(again.jwks().keys.map((k) => k.kid)).toEqual(rows.map((r) => r.kid));
  });

  it('refuses a sealed key copied into another row: the value opens in its own row only', async () => {
    const first = service();
    await first.onModuleInit();
    await first.rotate();
    const [older, newer] = await stored();
    // Both the private and the public half moved: only the binding to the kid tells.
    await db.query(
      'UPDATE "signing_key" SET "privateKeyPem" = ?, "publicKeyPem" = ? WHERE "kid" = ?',
      [older.privateKeyPem, older.publicKeyPem, newer.kid],
    );
    await expect(service().onModuleInit()).rejects.toThrow(
      `a value of ${SIGNING_KEY_CONTEXT} in the row ${newer.kid} does not open`,
    );
  });

  it('refuses a row whose public key was replaced: tokens of someone else’s key never verify', async () => {
    await service().onModuleInit();
    const [row] = await stored();
    const intruder = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    await db.query('UPDATE "signing_key" SET "publicKeyPem" = ? WHERE "kid" = ?', [
      intruder.export({ type: 'spki', format: 'pem' }),
      row.kid,
    ]);
    await expect(service().onModuleInit()).rejects.toThrow(
      `The signing key ${row.kid}: its public key is not its private key's`,
    );
  });
});
