import { DataSource } from 'typeorm';
import { recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import { AppConfig } from '@mfm/platform/config/app-config';
import { DEMO_PEOPLE } from '@mfm/demo/demo-store';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { usersTestDb } from './users-test-db.spec-helper';
import { UsersSeed } from './demo-seed.service';

import { User } from './accounts/user.entity';

import { PasswordHasher } from './password/password-hasher.service';
import { UserAccounts } from './accounts/user-accounts.service';
import { UsersAudit } from './users-audit.service';
import { AccountTokens } from './email-flows/account-tokens.service';

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

  it('creates only the demo employee and customer in tests, with their fixed ids', async () => {
    await seed({ seedDemo: true, nodeEnv: 'test' });
    expect(await usernames()).toEqual(['customer:customer', 'manager:employee']);
    const manager = await db.getRepository(User).findOneByOrFail({ username: 'manager' });
    expect(manager.id).toBe(DEMO_PEOPLE[0].id);
  });

  it('in development creates the whole demo store: ten people, each dated the day they joined', async () => {
    const before = Date.now();
    await seed({ seedDemo: true, nodeEnv: 'development' });
    const users = await db.getRepository(User).find();
    expect(users).toHaveLength(10);
    expect(users.filter((u) => u.role === 'employee')).toHaveLength(3);
    for (const person of DEMO_PEOPLE) {
      const user = users.find((u) => u.username === person.username);
      expect({ username: person.username, id: user?.id }).toEqual({
        username: person.username,
        id: person.id,
      });
      const days = (before - new Date(user?.createdAt ?? 0).getTime()) / 86_400_000;
      expect(Math.round(days)).toBeGreaterThanOrEqual(person.joinedDaysAgo - 1);
      expect(Math.round(days)).toBeLessThanOrEqual(person.joinedDaysAgo + 1);
    }
    // Their user_created events carry the same dates, so the audit log tells the same story.
    const events = (await db.getRepository(OutboxMessage).find()).map(
      (m) => JSON.parse(m.body) as { type: string; subject: { id: string }; occurredAt: string },
    );
    const ada = users.find((u) => u.username === 'ada');
    const created = events.find((e) => e.type === 'user_created' && e.subject.id === ada?.id);
    expect(new Date(created?.occurredAt ?? 0).getTime()).toBe(
      new Date(ada?.createdAt ?? 0).getTime(),
    );
    // A restart changes nothing.
    await seed({ seedDemo: true, nodeEnv: 'development' });
    expect(await db.getRepository(User).count()).toBe(10);
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
