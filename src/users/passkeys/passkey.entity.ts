import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A WebAuthn credential (passkey) registered to an account: its public key and counter. */
@Entity('passkey')
export class Passkey {
  /** The credential id, base64url. */
  @PrimaryColumn('varchar', { length: 255 })
  id!: string;

  @Index()
  @Column('varchar', { length: 36 })
  userId!: string;

  @Column('varchar', { length: 100 })
  name!: string;

  /** COSE public key, base64url. */
  @Column('text')
  publicKey!: string;

  @Column('integer', { default: 0 })
  counter!: number;

  /** Comma-separated transports the authenticator reported ("internal,hybrid"). */
  @Column('varchar', { length: 100, default: '' })
  transports!: string;

  @Column({ type: Date, nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn()
  createdAt!: Date;
}
