import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  QueryRunner,
  Table,
} from 'typeorm';
import { nowDefault, timestampType } from '../database/dialect';

/**
 * A message to another module (an audit event for logging, a product change for search), written
 * in the same transaction as the change it describes: a committed change always has its
 * messages, even if the receiver is down or this process dies right after the commit.
 */
@Entity('outbox_message')
export class OutboxMessage {
  /** Delivery order (per target). */
  @PrimaryGeneratedColumn()
  seq!: number;

  @Column('varchar', { length: 36, unique: true })
  messageId!: string;

  /** The receiving module. */
  @Column('varchar', { length: 16 })
  target!: string;

  @Column('varchar', { length: 64 })
  pattern!: string;

  /** The payload as JSON. */
  @Column('text')
  body!: string;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column({ type: Date, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: Date, nullable: true })
  deliveredAt!: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn()
  createdAt!: Date;
}

/** The outbox table, for the migration of each module that sends messages through it. */
export function outboxTable(queryRunner: QueryRunner): Table {
  return new Table({
    name: 'outbox_message',
    columns: [
      {
        name: 'seq',
        type: 'integer',
        isPrimary: true,
        isGenerated: true,
        generationStrategy: 'increment',
      },
      { name: 'messageId', type: 'varchar', length: '36', isUnique: true },
      { name: 'target', type: 'varchar', length: '16' },
      { name: 'pattern', type: 'varchar', length: '64' },
      { name: 'body', type: 'text' },
      { name: 'attempts', type: 'integer', default: 0 },
      { name: 'nextAttemptAt', type: timestampType(queryRunner), isNullable: true },
      { name: 'deliveredAt', type: timestampType(queryRunner), isNullable: true },
      { name: 'lastError', type: 'varchar', length: '500', isNullable: true },
      {
        name: 'createdAt',
        type: timestampType(queryRunner),
        default: nowDefault(queryRunner),
      },
    ],
    indices: [{ columnNames: ['target', 'deliveredAt', 'seq'] }],
  });
}
