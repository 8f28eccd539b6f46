import { usersTestDb } from './users-test-db.spec-helper';

import { AppConfig } from '@mfm/platform/config/app-config';

import { recordingOutbox } from '@mfm/platform/testing/recording-outbox';
import { DataSource } from 'typeorm';
import { UsersSeed } from './demo-seed.service';

import { User } from './entities/user.entity';

import { PasswordHasher } from './password/password-hasher.service';
import { UserAccounts } from './user-accounts.service';
import { UsersAudit } from './users-audit.service';
import { AccountTokens } from './account-tokens.service';

describe('UsersSeed (real SQLite, in memory)', () => {
  let db: DataSource;
  let accounts: UserAccounts;

  const seed = (config: Partial<AppConfig>) =>
    new UsersSeed(accounts, db.getRepository(User), {
      seedDemo: false,
      ...config,
    } as AppConfig).onApplicationBootstrap();
  const usernames = async () =>
    (await db.getRepository(User).find({ order: { username: 'ASC' } })).map(
      (u) => `${u.username}:${u.role}`,
    );

  beforeEach(async () => {
    db = await usersTestDb();
    accounts = new UserAccounts(
      db.getRepository(User),
      recordingOutbox('users', db).outbox,
      new PasswordHasher(),
      new UsersAudit(),
      new AccountTokens(),
      { mail: { publicUrl: 'https://shop.test' } } as AppConfig,
    );
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('creates the demo accounts once, however often it runs', async () => {
    await seed({ seedDemo: true });
    await seed({ seedDemo: true });
    expect(await usernames()).toEqual(['customer:customer', 'manager:employee']);
  });

  it('creates no demo accounts when seeding is off (production)', async () => {
    await seed({ seedDemo: false });
    expect(await usernames()).toEqual([]);
  });

  it('creates the bootstrap employee while no employee exists, and only then', async () => {
    await seed({
      bootstrapEmployee: {
        username: 'owner',
        password: 'Fresh-Produce-Daily-9',
        email: 'owner@shop.example',
      },
    });
    expect(await usernames()).toEqual(['owner:employee']);
    await seed({
      bootstrapEmployee: {
        username: 'owner',
        password: 'Fresh-Produce-Daily-9',
        email: 'owner@shop.example',
      },
    });
    // a variable changed or left set later does not add a second way in
    await seed({
      bootstrapEmployee: {
        username: 'intruder',
        password: 'Fresh-Produce-Daily-9',
        email: 'intruder@shop.example',
      },
    });
    expect(await usernames()).toEqual(['owner:employee']);
  });

  it('refuses, naming the variables, a bootstrap password that breaks the rule (and does not echo it)', async () => {
    const failure = seed({
      bootstrapEmployee: {
        username: 'owner',
        password: 'StoreOwner-2026',
        email: 'owner@shop.example',
      },
    });
    await expect(failure).rejects.toThrow(/BOOTSTRAP_EMPLOYEE_\*.*WEAK_PASSWORD.*first name/);
    await expect(failure).rejects.not.toThrow(/StoreOwner-2026/);
    expect(await usernames()).toEqual([]);
  });
});
