import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';
import { AuthController } from './sessions/auth.controller';
import { AuthService } from './sessions/auth.service';
import { UsersClassicAdapter } from './classic/users-classic.adapter';
import { UsersClassicHandlers } from './classic/users-classic.handlers';
import { UsersSeed } from './demo-seed.service';

import { JwksController } from './sessions/jwks.controller';
import { LoginThrottle } from './sessions/login-throttle.service';

import { StepUpService } from './step-up/step-up.service';
import { PasswordCheck } from './password/password-check.service';
import { PasswordHasher } from './password/password-hasher.service';
import { AccessTokensService } from './sessions/access-tokens.service';
import { SessionsService } from './sessions/sessions.service';
import { SigningKeysService } from './sessions/signing-keys.service';
import { UserAccounts } from './accounts/user-accounts.service';
import { UsersAudit } from './users-audit.service';
import { UsersController } from './accounts/users.controller';
import { UsersHandlers } from './users.handlers';
import { AccountSecurityController } from './step-up/account-security.controller';
import { AccountTokens } from './email-flows/account-tokens.service';
import { EmailFlows } from './email-flows/email-flows.service';
import { StoreFeedbackController } from './feedback/store-feedback.controller';
import { StoreFeedbackService } from './feedback/store-feedback.service';
import { MfaService } from './two-factor/mfa.service';
import { PasskeysService } from './passkeys/passkeys.service';
import { USERS_ENTITIES, usersMigrations } from './users-schema';

/** Accounts, credentials, sessions, token issue and the token check. */
@Module({
  imports: [
    moduleDatabase('users', {
      entities: USERS_ENTITIES,
      migrations: usersMigrations,
    }),
    JwtModule.register({}),
  ],
  controllers: [
    AuthController,
    AccountSecurityController,
    StoreFeedbackController,
    UsersController,
    JwksController,
    UsersHandlers,
    UsersClassicHandlers,
  ],
  providers: [
    ...peerClients('users'),
    AuthService,
    UserAccounts,
    PasswordHasher,
    AccessTokensService,
    SigningKeysService,
    SessionsService,
    LoginThrottle,
    PasswordCheck,
    StepUpService,
    UsersAudit,
    UsersSeed,
    AccountTokens,
    EmailFlows,
    MfaService,
    PasskeysService,
    StoreFeedbackService,
    outboxProvider('users', { sealMail: true }),
    rateLimitsProvider('users'),
    UsersClassicAdapter,
    { provide: classicAdapterToken('users'), useExisting: UsersClassicAdapter },
  ],
})
export class UsersModule {}
