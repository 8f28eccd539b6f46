import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { peerClients } from '@mfm/contracts';
import { moduleDatabase } from '@mfm/platform/database/module-database';
import { classicAdapterToken } from '@mfm/platform/classic/classic-http';
import { outboxProvider } from '@mfm/platform/outbox/outbox.provider';
import { rateLimitsProvider } from '@mfm/platform/rate-limit/rate-limits.provider';
import { RegistrationController } from './accounts/registration.controller';
import { UserAccounts } from './accounts/user-accounts.service';
import { UsersController } from './accounts/users.controller';
import { UsersClassicAdapter } from './classic/users-classic.adapter';
import { UsersSeed } from './demo-seed.service';
import { AccountTokens } from './email-flows/account-tokens.service';
import { EmailAddressController } from './email-flows/email-address.controller';
import { EmailFlows } from './email-flows/email-flows.service';
import { EmailLinksController } from './email-flows/email-links.controller';
import { StoreFeedbackController } from './feedback/store-feedback.controller';
import { StoreFeedbackService } from './feedback/store-feedback.service';
import { PasskeyLoginController } from './passkeys/passkey-login.controller';
import { PasskeySettingsController } from './passkeys/passkey-settings.controller';
import { PasskeysService } from './passkeys/passkeys.service';
import { PasswordCheck } from './password/password-check.service';
import { PasswordHasher } from './password/password-hasher.service';
import { AccessTokensService } from './sessions/access-tokens.service';
import { AuthService } from './sessions/auth.service';
import { JwksController } from './sessions/jwks.controller';
import { LoginThrottle } from './sessions/login-throttle.service';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';
import { SigningKeysService } from './sessions/signing-keys.service';
import { StepUpController } from './step-up/step-up.controller';
import { StepUpService } from './step-up/step-up.service';
import { SecondFactorCodes } from './two-factor/second-factor-codes.service';
import { TwoFactorChallenges } from './two-factor/two-factor-challenges.service';
import { TwoFactorEnrolment } from './two-factor/two-factor-enrolment.service';
import { TwoFactorLoginController } from './two-factor/two-factor-login.controller';
import { TwoFactorSettingsController } from './two-factor/two-factor-settings.controller';
import { UsersAudit } from './users-audit.service';
import { UsersHandlers } from './users.handlers';
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
    RegistrationController,
    SessionsController,
    TwoFactorLoginController,
    PasskeyLoginController,
    EmailLinksController,
    StepUpController,
    EmailAddressController,
    TwoFactorSettingsController,
    PasskeySettingsController,
    StoreFeedbackController,
    UsersController,
    JwksController,
    UsersHandlers,
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
    SecondFactorCodes,
    TwoFactorEnrolment,
    TwoFactorChallenges,
    PasskeysService,
    StoreFeedbackService,
    outboxProvider('users', { sealMail: true }),
    rateLimitsProvider('users'),
    UsersClassicAdapter,
    { provide: classicAdapterToken('users'), useExisting: UsersClassicAdapter },
  ],
})
export class UsersModule {}
