import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@mfm/contracts/users.contract';

@Entity('user')
export class User {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 32 })
  username!: string;

  /** Lower-cased username: uniqueness and look-ups ignore case. */
  @Column('varchar', { length: 32, unique: true })
  usernameKey!: string;

  @Column('varchar', { length: 254 })
  email!: string;

  @Column('varchar', { length: 254, unique: true })
  emailKey!: string;

  @Column('varchar', { length: 100 })
  firstName!: string;

  @Column('varchar', { length: 100 })
  lastName!: string;

  @Column('varchar', { length: 255 })
  passwordHash!: string;

  @Column('varchar', { length: 16 })
  role!: Role;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
