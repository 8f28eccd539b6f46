import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { booleanLiteral, nowDefault, timestampType } from '@mfm/platform/database/dialect';

const id = (name: string) => ({ name, type: 'varchar', length: '36' });

export class UsersInitial1763900000000 implements MigrationInterface {
  name = 'UsersInitial1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = (name: string, nullable = false) => ({
      name,
      type: timestampType(queryRunner),
      isNullable: nullable,
      ...(nullable ? {} : { default: nowDefault(queryRunner) }),
    });
    await queryRunner.createTable(
      new Table({
        name: 'user',
        columns: [
          { ...id('id'), isPrimary: true },
          { name: 'username', type: 'varchar', length: '32' },
          { name: 'usernameKey', type: 'varchar', length: '32', isUnique: true },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'emailKey', type: 'varchar', length: '254', isUnique: true },
          { name: 'firstName', type: 'varchar', length: '100' },
          { name: 'lastName', type: 'varchar', length: '100' },
          { name: 'passwordHash', type: 'varchar', length: '255' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'enabled', type: 'boolean', default: booleanLiteral(queryRunner, true) },
          timestamp('createdAt'),
          timestamp('updatedAt'),
        ],
        indices: [{ columnNames: ['role'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'session',
        columns: [
          { ...id('id'), isPrimary: true },
          id('userId'),
          timestamp('createdAt'),
          timestamp('revokedAt', true),
          { name: 'revokedReason', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [{ columnNames: ['userId'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_token',
        columns: [
          { ...id('id'), isPrimary: true },
          id('sessionId'),
          { name: 'secretHash', type: 'varchar', length: '64' },
          timestamp('expiresAt'),
          timestamp('usedAt', true),
          timestamp('createdAt'),
        ],
        indices: [{ columnNames: ['sessionId'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'signing_key',
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'publicKeyPem', type: 'text' },
          { name: 'privateKeyPem', type: 'text' },
          timestamp('createdAt'),
          timestamp('retiredAt', true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['signing_key', 'refresh_token', 'session', 'user'])
      await queryRunner.dropTable(table);
  }
}
