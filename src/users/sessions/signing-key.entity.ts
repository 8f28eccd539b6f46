import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An RS256 key pair. Generated on first start and kept, so tokens survive restarts. */
@Entity('signing_key')
export class SigningKey {
  @PrimaryColumn('varchar', { length: 64 })
  kid!: string;

  @Column('text')
  publicKeyPem!: string;

  @Column('text')
  privateKeyPem!: string;

  @CreateDateColumn()
  createdAt!: Date;

  /** Set when a newer key takes over signing; the key still verifies until its tokens expire. */
  @Column({ type: Date, nullable: true })
  retiredAt!: Date | null;
}
