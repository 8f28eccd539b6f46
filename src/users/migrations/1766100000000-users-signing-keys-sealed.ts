import { MigrationInterface, QueryRunner } from 'typeorm';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { placeholder } from '@mfm/platform/database/dialect';
import { SIGNING_KEY_CONTEXT } from '../personal-data';

const contextOf = (kid: string) => DataKeyRing.rowContext(SIGNING_KEY_CONTEXT, kid);

/**
 * The RS256 private signing keys, stored in plain text until now, are sealed in place under the
 * current data key and bound to their kid; the keys and the tokens they signed stay valid.
 * Down opens them again.
 */
export function usersSigningKeysSealedMigration(keys: DataKeyRing): new () => MigrationInterface {
  return class UsersSigningKeysSealed1766100000000 implements MigrationInterface {
    name = 'UsersSigningKeysSealed1766100000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const row of await this.rows(queryRunner)) {
        if (DataKeyRing.isSealed(row.privateKeyPem)) continue;
        await this.write(queryRunner, row.kid, keys.seal(row.privateKeyPem, contextOf(row.kid)));
      }
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const row of await this.rows(queryRunner)) {
        if (!DataKeyRing.isSealed(row.privateKeyPem)) continue;
        await this.write(queryRunner, row.kid, keys.open(row.privateKeyPem, contextOf(row.kid)));
      }
    }

    private rows(queryRunner: QueryRunner): Promise<Array<{ kid: string; privateKeyPem: string }>> {
      return queryRunner.query('SELECT "kid", "privateKeyPem" FROM "signing_key"');
    }

    private async write(queryRunner: QueryRunner, kid: string, value: string): Promise<void> {
      const p = (n: number) => placeholder(queryRunner, n);
      await queryRunner.query(
        `UPDATE "signing_key" SET "privateKeyPem" = ${p(1)} WHERE "kid" = ${p(2)}`,
        [value, kid],
      );
    }
  };
}
