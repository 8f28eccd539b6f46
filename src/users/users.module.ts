import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { UsersClassicAdapter } from './classic/users-classic.adapter';
import { UsersClassicHandlers } from './classic/users-classic.handlers';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { UsersSeed } from './demo-seed.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { SigningKey } from './entities/signing-key.entity';
import { User } from './entities/user.entity';
import { JwksController } from './jwks.controller';
import { LoginThrottle } from './login-throttle.service';
import { UsersInitial1763900000000 } from './migrations/1763900000000-users-initial';
import { UsersOutbox1763900000005 } from './migrations/1763900000005-users-outbox';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { PasswordHasher } from './password/password-hasher.service';
import { AccessTokensService } from './tokens/access-tokens.service';
import { SessionsService } from './tokens/sessions.service';
import { SigningKeysService } from './tokens/signing-keys.service';
import { UserAccounts } from './user-accounts.service';
import { UsersAudit } from './users-audit.service';
import { UsersController } from './users.controller';
import { UsersHandlers } from './users.handlers';

/** Accounts, credentials, sessions, token issue and the token check. */
@Module({
  imports: [
    moduleDatabase('users', {
      entities: [User, Session, RefreshToken, SigningKey, OutboxMessage],
      migrations: [UsersInitial1763900000000, UsersOutbox1763900000005],
    }),
    JwtModule.register({}),
  ],
  controllers: [
    AuthController,
    UsersController,
    JwksController,
    UsersHandlers,
    UsersClassicHandlers,
  ],
  providers: [
    AuthService,
    UserAccounts,
    PasswordHasher,
    AccessTokensService,
    SigningKeysService,
    SessionsService,
    LoginThrottle,
    UsersAudit,
    UsersSeed,
    outboxProvider('users'),
    UsersClassicAdapter,
    { provide: classicAdapterToken('users'), useExisting: UsersClassicAdapter },
  ],
})
export class UsersModule {}
