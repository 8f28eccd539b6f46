import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import type { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { dialectOf, nowDefault, placeholder, timestampType } from '@mfm/platform/database/dialect';
import { emailIndex } from '../personal-data';

const id = (name: string) => ({ name, type: 'varchar', length: '36' });

/**
 * Accounts a shop can trust: verified addresses, mailed single-use tokens, two-factor sign-in
 * (TOTP secret, backup codes, login challenges), passkeys, the contact form, and personal data
 * encrypted at rest. Existing rows are encrypted here, under the current key, with the email's
 * blind index; accounts that existed before verification did count as verified.
 */
export function usersPersonalDataMigration(keys: DataKeyRing): new () => MigrationInterface {
  return class UsersPersonalData1765000000000 implements MigrationInterface {
    name = 'UsersPersonalData1765000000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      const ts = timestampType(queryRunner);
      const timestamp = (name: string, nullable = false) => ({
        name,
        type: ts,
        isNullable: nullable,
        ...(nullable ? {} : { default: nowDefault(queryRunner) }),
      });
      for (const column of [
        `"emailVerifiedAt" ${ts} NULL`,
        '"totpSecret" text NULL',
        '"totpPendingSecret" text NULL',
        '"totpLastStep" integer NULL',
      ])
        await queryRunner.query(`ALTER TABLE "user" ADD COLUMN ${column}`);
      await queryRunner.query(
        `ALTER TABLE "session" ADD COLUMN "amr" varchar(64) NOT NULL DEFAULT 'pwd'`,
      );
      if (dialectOf(queryRunner) === 'postgres') {
        // Sealed values are longer than the plain ones were (SQLite does not enforce lengths).
        for (const column of ['email', 'firstName', 'lastName'])
          await queryRunner.query(`ALTER TABLE "user" ALTER COLUMN "${column}" TYPE text`);
      }
      await this.encryptExistingRows(queryRunner);

      await queryRunner.createTable(
        new Table({
          name: 'account_token',
          columns: [
            { ...id('id'), isPrimary: true },
            id('userId'),
            { name: 'purpose', type: 'varchar', length: '16' },
            { name: 'secretHash', type: 'varchar', length: '64' },
            { name: 'data', type: 'text', isNullable: true },
            timestamp('expiresAt'),
            timestamp('usedAt', true),
            timestamp('createdAt'),
          ],
          indices: [{ columnNames: ['userId'] }],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: 'backup_code',
          columns: [
            { ...id('id'), isPrimary: true },
            id('userId'),
            { name: 'codeHash', type: 'varchar', length: '64' },
            timestamp('usedAt', true),
            timestamp('createdAt'),
          ],
          indices: [{ columnNames: ['userId'] }],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: 'mfa_challenge',
          columns: [
            { ...id('id'), isPrimary: true },
            id('userId'),
            { name: 'secretHash', type: 'varchar', length: '64' },
            timestamp('expiresAt'),
            { name: 'failures', type: 'integer', default: 0 },
            timestamp('completedAt', true),
            { name: 'emailCodeHash', type: 'varchar', length: '64', isNullable: true },
            timestamp('emailCodeExpiresAt', true),
            { name: 'emailCodesSent', type: 'integer', default: 0 },
            timestamp('createdAt'),
          ],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: 'passkey',
          columns: [
            { name: 'id', type: 'varchar', length: '255', isPrimary: true },
            id('userId'),
            { name: 'name', type: 'varchar', length: '100' },
            { name: 'publicKey', type: 'text' },
            { name: 'counter', type: 'integer', default: 0 },
            { name: 'transports', type: 'varchar', length: '100', default: "''" },
            timestamp('lastUsedAt', true),
            timestamp('createdAt'),
          ],
          indices: [{ columnNames: ['userId'] }],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: 'webauthn_challenge',
          columns: [
            { ...id('id'), isPrimary: true },
            { ...id('userId'), isNullable: true },
            { name: 'purpose', type: 'varchar', length: '16' },
            { name: 'challenge', type: 'varchar', length: '128' },
            timestamp('expiresAt'),
            timestamp('usedAt', true),
            timestamp('createdAt'),
          ],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: 'store_feedback',
          columns: [
            { ...id('id'), isPrimary: true },
            { ...id('userId'), isNullable: true },
            { name: 'name', type: 'text' },
            { name: 'email', type: 'text' },
            { name: 'topic', type: 'varchar', length: '16' },
            { name: 'message', type: 'text' },
            timestamp('createdAt'),
          ],
          indices: [{ columnNames: ['createdAt'] }],
        }),
      );
    }

    /** Rows written before encryption: sealed in place, one statement per row. */
    private async encryptExistingRows(queryRunner: QueryRunner): Promise<void> {
      const rows = (await queryRunner.query(
        'SELECT "id", "email", "firstName", "lastName" FROM "user"',
      )) as Array<{ id: string; email: string; firstName: string; lastName: string }>;
      const p = (n: number) => placeholder(queryRunner, n);
      for (const row of rows) {
        if (row.email.startsWith('enc1.')) continue;
        await queryRunner.query(
          `UPDATE "user" SET "email" = ${p(1)}, "firstName" = ${p(2)}, "lastName" = ${p(3)},
             "emailKey" = ${p(4)}, "emailVerifiedAt" = "createdAt" WHERE "id" = ${p(5)}`,
          [
            keys.seal(row.email, 'user.email'),
            keys.seal(row.firstName, 'user.firstName'),
            keys.seal(row.lastName, 'user.lastName'),
            emailIndex(row.email, keys),
            row.id,
          ],
        );
      }
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const table of [
        'store_feedback',
        'webauthn_challenge',
        'passkey',
        'mfa_challenge',
        'backup_code',
        'account_token',
      ])
        await queryRunner.dropTable(table);
    }
  };
}
