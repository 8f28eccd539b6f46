import { Column, CreateDateColumn, PrimaryColumn } from 'typeorm';

/**
 * What every single-use record of the users database has in common (a mailed account token, a
 * refresh token, a passkey challenge): an id, a deadline, and the moment it was used, after which
 * it answers no more. Not a table itself: each record's own table holds these columns.
 */
export abstract class SingleUseRecord {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column({ type: Date })
  expiresAt!: Date;

  @Column({ type: Date, nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn()
  createdAt!: Date;
}
