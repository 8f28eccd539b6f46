import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { UsersClassicAdapter } from './classic/users-classic.adapter';
import { UsersClassicHandlers } from './classic/users-classic.handlers';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { UsersSeed } from './demo-seed.service';

import { JwksController } from './jwks.controller';
import { LoginThrottle } from './login-throttle.service';

import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';

import { PasswordHasher } from './password/password-hasher.service';
import { AccessTokensService } from './tokens/access-tokens.service';
import { SessionsService } from './tokens/sessions.service';
import { SigningKeysService } from './tokens/signing-keys.service';
import { UserAccounts } from './user-accounts.service';
import { UsersAudit } from './users-audit.service';
import { UsersController } from './users.controller';
import { UsersHandlers } from './users.handlers';
import { USERS_ENTITIES, USERS_MIGRATIONS } from './users-schema';

/** Accounts, credentials, sessions, token issue and the token check. */
@Module({
  imports: [
    moduleDatabase('users', {
      entities: USERS_ENTITIES,
      migrations: USERS_MIGRATIONS,
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
    rateLimitsProvider('users'),
    UsersClassicAdapter,
    { provide: classicAdapterToken('users'), useExisting: UsersClassicAdapter },
  ],
})
export class UsersModule {}
