import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One successful state change anywhere in the system. */
@Entity('audit_event')
export class AuditEvent {
  /** Insertion order: the log's time order, even for events with the same occurredAt. */
  @PrimaryGeneratedColumn()
  seq!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 36 })
  eventId!: string;

  @Column('varchar', { length: 50 })
  type!: string;

  @Column('varchar', { length: 36, nullable: true })
  actorUserId!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  actorUsername!: string | null;

  @Column('varchar', { length: 16 })
  subjectKind!: string;

  @Column('varchar', { length: 64 })
  subjectId!: string;

  @Column('varchar', { length: 200, nullable: true })
  subjectName!: string | null;

  @Column({ type: Date })
  occurredAt!: Date;

  @Column('varchar', { length: 128, nullable: true })
  requestId!: string | null;

  @Column('simple-json', { nullable: true })
  payload!: Record<string, unknown> | null;
}
