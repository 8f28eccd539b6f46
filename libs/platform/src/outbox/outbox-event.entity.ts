import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Table } from 'typeorm';

/**
 * An audit event waiting to reach the logging module. Written in the same transaction as the
 * change it describes, so a committed change always has its event, even if logging is down or
 * the process dies right after the commit.
 */
@Entity('outbox_event')
export class OutboxEvent {
  /** Delivery order. */
  @PrimaryGeneratedColumn()
  seq!: number;

  @Column('varchar', { length: 36, unique: true })
  eventId!: string;

  /** The AuditEventInput as JSON. */
  @Column('text')
  body!: string;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('datetime', { nullable: true })
  nextAttemptAt!: Date | null;

  @Column('datetime', { nullable: true })
  deliveredAt!: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn()
  createdAt!: Date;
}

/** The outbox table, for the migration of each module that emits audit events. */
export function outboxTable(): Table {
  return new Table({
    name: 'outbox_event',
    columns: [
      { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
      { name: 'eventId', type: 'varchar', length: '36', isUnique: true },
      { name: 'body', type: 'text' },
      { name: 'attempts', type: 'integer', default: 0 },
      { name: 'nextAttemptAt', type: 'datetime', isNullable: true },
      { name: 'deliveredAt', type: 'datetime', isNullable: true },
      { name: 'lastError', type: 'varchar', length: '500', isNullable: true },
      { name: 'createdAt', type: 'datetime', default: "(datetime('now'))" },
    ],
    indices: [{ columnNames: ['deliveredAt', 'seq'] }],
  });
}
