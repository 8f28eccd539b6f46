import { generateSync } from 'otplib';
import type { DataSource } from 'typeorm';
import type { NewAuditEvent } from '@mfm/contracts/logging.contract';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { recordingOutbox, type SentMessage } from '@mfm/contracts/recording-outbox.spec-helper';
import { UserAccounts } from './accounts/user-accounts.service';
import { User } from './accounts/user.entity';
import { AccountTokens } from './email-flows/account-tokens.service';
import { PasswordCheck } from './password/password-check.service';
import { PasswordHasher } from './password/password-hasher.service';
import { LoginThrottle } from './sessions/login-throttle.service';
import { SecondFactorCodes } from './two-factor/second-factor-codes.service';
import { TwoFactorChallenges } from './two-factor/two-factor-challenges.service';
import { TwoFactorEnrolment } from './two-factor/two-factor-enrolment.service';
import { UsersAudit } from './users-audit.service';
import { usersTestDb } from './users-test-db.spec-helper';

export const PASSWORD = 'Crisp-Apples-7';

/** The app's code of a time step from now (-1, 0, 1: the steps the store accepts). */
export const appCode = (secret: string, steps = 0): string =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** The limits of the tests: small, so a spec reaches them in a few calls. */
export const testConfig = {
  login: {
    maxFailuresPerUsername: 8,
    maxFailuresPerIp: 50,
    failureWindowSeconds: 900,
    codeMailsPerHour: 4,
  },
  mail: { publicUrl: 'https://shop.test' },
  accounts: { stepUpWindowSeconds: 600 },
  auth: {
    issuer: 'micro-foods-market',
    audience: 'micro-foods-market',
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 3600,
  },
} as AppConfig;

/** The users services on a migrated in-memory database, with what their outbox sent. */
export async function usersServices() {
  const db: DataSource = await usersTestDb();
  const { outbox, sent } = recordingOutbox('users', db);
  const audit = new UsersAudit();
  const hasher = new PasswordHasher();
  const throttle = new LoginThrottle(testConfig, db);
  const accounts = new UserAccounts(
    db.getRepository(User),
    outbox,
    hasher,
    audit,
    new AccountTokens(),
    testConfig,
  );
  const passwordCheck = new PasswordCheck(throttle, hasher);
  const codes = new SecondFactorCodes(outbox, testConfig, audit, db);
  const enrolment = new TwoFactorEnrolment(outbox, testConfig, passwordCheck, codes, audit, db);
  let accountsMade = 0;
  /** A new customer account, as stored (the name is unique per call). */
  const customer = async (options: { emailVerified?: boolean } = {}): Promise<User> => {
    accountsMade += 1;
    const username = `shopper_${accountsMade}`;
    const created = await accounts.create(
      {
        firstName: 'Test',
        lastName: 'Shopper',
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
      },
      'customer',
      undefined,
      options,
    );
    return reload(db, created.id);
  };
  const auditEvents = () => of(sent, 'logging') as NewAuditEvent[];
  return {
    db,
    outbox,
    /** Lets the deliveries under way finish, then closes the database. */
    close: async () => {
      await outbox.flush(Date.now() + 2000);
      await db.destroy();
    },
    audit,
    hasher,
    throttle,
    accounts,
    passwordCheck,
    codes,
    enrolment,
    challenges: new TwoFactorChallenges(outbox, testConfig, codes, db),
    /** The audit events delivered so far (to logging), oldest first. */
    auditEvents,
    /** Their types. */
    auditTypes: () => auditEvents().map((event) => event.type),
    /** The mails delivered so far (mail leaves in the background: waits for what is under way). */
    mails: async () => {
      await outbox.flush(Date.now() + 2000);
      return of(sent, 'mail') as { template: string; to: unknown; data: Record<string, string> }[];
    },
    customer,
    /** A customer with an app enrolled (its last accepted step is the current one). */
    withApp: async (options: { emailVerified?: boolean } = {}) => {
      const user = await customer(options);
      const { secret } = await enrolment.startTotp(user.id);
      const backupCodes = await enrolment.confirmTotp(user.id, appCode(secret), undefined);
      return { user: await reload(db, user.id), secret, backupCodes };
    },
  };
}

const of = (sent: SentMessage[], target: string) =>
  sent.filter((m) => m.target === target).map((m) => m.payload);

/** The account as stored now (services read the columns a change just wrote). */
export const reload = (db: DataSource, id: string): Promise<User> =>
  db.manager.findOneByOrFail(User, { id });

/** The error body a call was refused with, and its status; fails the test when it succeeded. */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ status: number; code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const body = error.getResponse() as {
      code: string;
      message: string;
      details?: Record<string, unknown>;
    };
    return { status: error.getStatus(), ...body };
  }
  throw new Error('expected a refusal, but the call succeeded');
}
