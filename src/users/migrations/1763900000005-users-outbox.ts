import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTable } from '@mfm/platform/outbox/outbox-message.entity';

/** The users module's audit events move onto the shared outbox. */
export class UsersOutbox1763900000005 implements MigrationInterface {
  name = 'UsersOutbox1763900000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(outboxTable(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_message');
  }
}
