import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@mfm/contracts/users.contract';
import { sealed } from '../personal-data';

@Entity('user')
export class User {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 32 })
  username!: string;

  /** Lower-cased username: uniqueness and look-ups ignore case. */
  @Column('varchar', { length: 32, unique: true })
  usernameKey!: string;

  /** Sealed at rest (see personal-data.ts). */
  @Column('text', { transformer: sealed('user.email') })
  email!: string;

  /** The email's blind index (keyed HMAC of the lower-cased address): uniqueness and look-ups. */
  @Column('varchar', { length: 254, unique: true })
  emailKey!: string;

  @Column('text', { transformer: sealed('user.firstName') })
  firstName!: string;

  @Column('text', { transformer: sealed('user.lastName') })
  lastName!: string;

  @Column('varchar', { length: 255 })
  passwordHash!: string;

  @Column('varchar', { length: 16 })
  role!: Role;

  @Column('boolean', { default: true })
  enabled!: boolean;

  /** When the owner proved the address (a mailed link or code); null: not yet. */
  @Column({ type: Date, nullable: true })
  emailVerifiedAt!: Date | null;

  /** The authenticator app's shared secret (sealed); null while two-factor sign-in is off. */
  @Column('text', { nullable: true, transformer: sealed('user.totpSecret') })
  totpSecret!: string | null;

  /** A secret being enrolled, until a first valid code confirms it (sealed). */
  @Column('text', { nullable: true, transformer: sealed('user.totpPendingSecret') })
  totpPendingSecret!: string | null;

  /** The last TOTP time step accepted: a code of that step or an earlier one is a replay. */
  @Column('integer', { nullable: true })
  totpLastStep!: number | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
