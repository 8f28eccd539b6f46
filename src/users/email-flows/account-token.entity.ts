import { Column, Entity, Index } from 'typeorm';
import { SingleUseRecord } from '../single-use.entity';
import { sealed } from '../personal-data';

export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'reset_password', 'change_email'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * A single-use token mailed to its owner: `<id>.<secret>`, of which only a SHA-256 of the secret
 * is stored. Email verification, password reset and email change each use one.
 */
@Entity('account_token')
export class AccountToken extends SingleUseRecord {
  @Index()
  @Column('varchar', { length: 36 })
  userId!: string;

  @Column('varchar', { length: 16 })
  purpose!: AccountTokenPurpose;

  @Column('varchar', { length: 64 })
  secretHash!: string;

  /** What the token is about (the new address of an email change), sealed. */
  @Column('text', { nullable: true, transformer: sealed('account_token.data') })
  data!: string | null;
}
