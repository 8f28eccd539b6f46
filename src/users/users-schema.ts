import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { SigningKey } from './entities/signing-key.entity';
import { User } from './entities/user.entity';
import { UsersInitial1763900000000 } from './migrations/1763900000000-users-initial';
import { UsersOutbox1763900000005 } from './migrations/1763900000005-users-outbox';

/** The users database: its entities and the migrations that build it (the module and its tests). */
export const USERS_ENTITIES = [User, Session, RefreshToken, SigningKey, OutboxMessage];
export const USERS_MIGRATIONS = [UsersInitial1763900000000, UsersOutbox1763900000005];
