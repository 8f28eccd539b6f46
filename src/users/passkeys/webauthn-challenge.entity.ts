import { Column, Entity } from 'typeorm';
import { SingleUseRecord } from '../single-use.entity';

/** A challenge handed to a browser for one passkey ceremony; answered once, within five minutes. */
@Entity('webauthn_challenge')
export class WebauthnChallenge extends SingleUseRecord {
  /** Registration: the account adding a passkey. Sign-in: null (the passkey names its account). */
  @Column('varchar', { length: 36, nullable: true })
  userId!: string | null;

  @Column('varchar', { length: 16 })
  purpose!: 'register' | 'login';

  @Column('varchar', { length: 128 })
  challenge!: string;
}
