import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One Idempotency-Key of one user: the request it was first used with, and the response given,
 * replayed (same status, same body) to every repeat within 24 hours.
 */
@Entity('idempotency_record')
export class IdempotencyRecord {
  @PrimaryColumn('varchar', { length: 36 })
  userId!: string;

  @PrimaryColumn('varchar', { length: 128 })
  key!: string;

  /** SHA-256 of the normalised request body. */
  @Column('varchar', { length: 64 })
  requestHash!: string;

  @Column('varchar', { length: 36 })
  orderId!: string;

  /** Null while the first request is still being processed. */
  @Column('integer', { nullable: true })
  responseStatus!: number | null;

  @Column('simple-json', { nullable: true })
  responseBody!: object | null;

  @Column({ type: Date })
  createdAt!: Date;
}
