import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One login and the chain of refresh tokens rotated from it (the "family"). Revoking it (logout,
 * or reuse of a spent refresh token) ends the refresh chain and every access token issued in it.
 */
@Entity('session')
export class Session {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Index()
  @Column('varchar', { length: 36 })
  userId!: string;

  @CreateDateColumn()
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;

  @Column('varchar', { length: 32, nullable: true })
  revokedReason!: string | null;

  /** How the login was authenticated (RFC 8176 values: pwd, otp, hwk, mfa, …), comma-separated. */
  @Column('varchar', { length: 64, default: 'pwd' })
  amr!: string;
}
