import type { AppConfig } from '@mfm/platform/config/app-config';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { migrationNames } from '@mfm/platform/database/migration-names';
import { dataKeyRing } from '@mfm/platform/crypto/data-keys';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { AccountToken } from './email-flows/account-token.entity';
import { BackupCode } from './two-factor/backup-code.entity';
import { MfaChallenge } from './two-factor/mfa-challenge.entity';
import { Passkey } from './passkeys/passkey.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { SigningKey } from './sessions/signing-key.entity';
import { StoreFeedback } from './feedback/store-feedback.entity';
import { User } from './accounts/user.entity';
import { WebauthnChallenge } from './passkeys/webauthn-challenge.entity';
import { UsersInitial1763900000000 } from './migrations/1763900000000-users-initial';
import { UsersOutbox1763900000005 } from './migrations/1763900000005-users-outbox';
import { usersPersonalDataMigration } from './migrations/1765000000000-users-personal-data';
import { usersSigningKeysSealedMigration } from './migrations/1766100000000-users-signing-keys-sealed';
import { usePersonalDataKeys } from './personal-data';

/** The users database: its entities and the migrations that build it (the module and its tests). */
export const USERS_ENTITIES = [
  User,
  Session,
  RefreshToken,
  SigningKey,
  OutboxMessage,
  AccountToken,
  BackupCode,
  MfaChallenge,
  Passkey,
  WebauthnChallenge,
  StoreFeedback,
];

/**
 * The migrations, under the given keys; they also become the keys every sealed column of the
 * module uses, so this runs before the database opens.
 */
export function usersMigrationsWith(keys: DataKeyRing) {
  usePersonalDataKeys(keys);
  return usersMigrationList(keys);
}

const usersMigrationList = (keys: DataKeyRing) => [
  UsersInitial1763900000000,
  UsersOutbox1763900000005,
  usersPersonalDataMigration(keys),
  usersSigningKeysSealedMigration(keys),
];

/** The migrations' names, for what does not open the database (a backup's schema check). */
export const usersMigrationNames = (): string[] =>
  migrationNames(
    usersMigrationList(
      new DataKeyRing({
        encryptionKeys: [{ id: 'names', key: Buffer.alloc(32) }],
        indexKey: Buffer.alloc(32),
      }),
    ),
  );

/** The migrations under this process's data keys (configured, or development keys). */
export const usersMigrations = (config: AppConfig) => usersMigrationsWith(dataKeyRing(config));
