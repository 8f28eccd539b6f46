import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One of an account's ten backup codes: a keyed hash only, usable once. */
@Entity('backup_code')
export class BackupCode {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Index()
  @Column('varchar', { length: 36 })
  userId!: string;

  @Column('varchar', { length: 64 })
  codeHash!: string;

  @Column({ type: Date, nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn()
  createdAt!: Date;
}
