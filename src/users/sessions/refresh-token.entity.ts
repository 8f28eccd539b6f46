import { Column, Entity, Index } from 'typeorm';
import { SingleUseRecord } from '../single-use.entity';

/** A single-use refresh token. Only a SHA-256 of its secret is stored. */
@Entity('refresh_token')
export class RefreshToken extends SingleUseRecord {
  @Index()
  @Column('varchar', { length: 36 })
  sessionId!: string;

  @Column('varchar', { length: 64 })
  secretHash!: string;
}
