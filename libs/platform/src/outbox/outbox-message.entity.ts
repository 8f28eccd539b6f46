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

  /**
   * The aggregate the message is about (an audit event's subject, e.g. `product:<id>`): messages
   * with the same key are delivered in order, whichever replica delivers them. Null: no order.
   */
  @Column('varchar', { length: 100, nullable: true })
  orderKey!: string | null;

  /** The process (replica) delivering it right now, until `claimedUntil`. */
  @Column('varchar', { length: 64, nullable: true })
  claimedBy!: string | null;

  @Column({ type: Date, nullable: true })
  claimedUntil!: Date | null;

  /** W3C trace context of the change that wrote it (JSON), so its delivery joins that trace. */
  @Column('varchar', { length: 600, nullable: true })
  traceContext!: string | null;
}

/** The columns outbox claiming adds, for the table's creation and for the migration of older tables. */
export const outboxClaimColumns = (queryRunner: QueryRunner) => [
  { name: 'orderKey', type: 'varchar', length: '100', isNullable: true },
  { name: 'claimedBy', type: 'varchar', length: '64', isNullable: true },
  { name: 'claimedUntil', type: timestampType(queryRunner), isNullable: true },
  { name: 'traceContext', type: 'varchar', length: '600', isNullable: true },
];

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
      ...outboxClaimColumns(queryRunner),
    ],
    indices: [{ columnNames: ['target', 'deliveredAt', 'seq'] }],
  });
}
