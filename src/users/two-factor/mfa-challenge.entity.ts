import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The second step of a login: issued when the password was right and the account has two-factor
 * sign-in on, as `<id>.<secret>` (only a SHA-256 of the secret is kept). It lives five minutes,
 * allows a few wrong codes, and completes once. An emailed code, when asked for, is kept here too
 * (hashed), for ten minutes.
 */
@Entity('mfa_challenge')
export class MfaChallenge {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  userId!: string;

  @Column('varchar', { length: 64 })
  secretHash!: string;

  @Column({ type: Date })
  expiresAt!: Date;

  @Column('integer', { default: 0 })
  failures!: number;

  @Column({ type: Date, nullable: true })
  completedAt!: Date | null;

  @Column('varchar', { length: 64, nullable: true })
  emailCodeHash!: string | null;

  @Column({ type: Date, nullable: true })
  emailCodeExpiresAt!: Date | null;

  @Column('integer', { default: 0 })
  emailCodesSent!: number;

  @CreateDateColumn()
  createdAt!: Date;
}
