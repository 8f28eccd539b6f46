import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { usersTestDb } from '../users-test-db.spec-helper';

import { UpdateUserDto } from './update-user.dto';

import { User } from './user.entity';

import { PasswordHasher } from '../password/password-hasher.service';
import { UserAccounts } from './user-accounts.service';
import { UsersAudit } from '../users-audit.service';
import { AccountTokens } from '../email-flows/account-tokens.service';
import { emailIndex } from '../personal-data';

describe('UserAccounts (real SQLite, in memory)', () => {
  let db: DataSource;
  let accounts: UserAccounts;
  interface AuditPayload {
    type: string;
    subject: { id: string };
    actor: unknown;
    payload?: Record<string, unknown>;
  }
  let events: () => AuditPayload[];
  interface MailPayload {
    template: string;
    to: { address?: string };
    data: { link: string };
  }
  let mails: () => MailPayload[];
  const manager = { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' };

  const signUp = (username: string, role: 'customer' | 'employee' = 'customer') =>
    accounts.create(
      {
        firstName: 'Test',
        lastName: 'Person',
        username,
        email: `${username}@example.com`,
        password: 'Crisp-Apples-7',
      },
      role,
    );
  /** As the HTTP layer builds it: every declared field is an own property, undefined when not sent. */
  const dto = (plain: object) => plainToInstance(UpdateUserDto, plain);

  beforeAll(async () => {
    db = await usersTestDb();
    const { outbox, sent } = recordingOutbox('users', db);
    // What reached "logging": the audit events the outbox delivered after each commit.
    events = () => sent.filter((m) => m.target === 'logging').map((m) => m.payload as AuditPayload);
    mails = () => sent.filter((m) => m.target === 'mail').map((m) => m.payload as MailPayload);
    accounts = new UserAccounts(
      db.getRepository(User),
      outbox,
      new PasswordHasher(),
      new UsersAudit(),
      new AccountTokens(),
      { mail: { publicUrl: 'https://shop.test' } } as AppConfig,
    );
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('update() applies only the fields that were sent and returns the whole account', async () => {
    const user = await signUp('partial_1');
    const changes = dto({ firstName: 'Renamed' });
    expect(Object.prototype.hasOwnProperty.call(changes, 'email')).toBe(true); // the trap this guards against
    const updated = await accounts.update(user.id, changes, manager);
    expect(updated).toMatchObject({
      firstName: 'Renamed',
      lastName: 'Person',
      email: 'partial_1@example.com',
      role: 'customer',
      enabled: true,
    });
    const stored = await db.getRepository(User).findOneByOrFail({ id: user.id });
    expect(stored).toMatchObject({
      firstName: 'Renamed',
      lastName: 'Person',
      email: 'partial_1@example.com',
      emailKey: emailIndex('partial_1@example.com'),
    });
    // The audit log learns that the name changed, not the names.
    expect(events().at(-1)).toEqual(
      expect.objectContaining({
        type: 'user_updated',
        subject: expect.objectContaining({ id: user.id }),
        actor: manager,
        payload: { changes: { firstName: { changed: true } } },
      }),
    );
  });

  it('stores names and the email sealed, with a blind index of the address, and mails a verification link', async () => {
    const user = await signUp('sealed_1');
    const [raw] = await db.query<Array<Record<string, string>>>(
      'SELECT "email", "emailKey", "firstName", "lastName" FROM "user" WHERE "id" = ?',
      [user.id],
    );
    for (const column of ['email', 'firstName', 'lastName'])
      expect(raw[column]).toMatch(/^enc1\.test\./);
    expect(JSON.stringify(raw)).not.toMatch(/sealed_1@example\.com|Test|Person/);
    expect(raw.emailKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await accounts.findByEmail(' SEALED_1@example.com')).toMatchObject({ id: user.id });
    expect(user.emailVerifiedAt).toBeNull();
    expect(mails().at(-1)).toMatchObject({
      template: 'verify_email',
      to: { address: 'sealed_1@example.com' },
      data: { link: expect.stringMatching(/^https:\/\/shop\.test\/verify-email\?token=/) },
    });
  });

  it('update() with nothing new records no event', async () => {
    const user = await signUp('partial_2');
    const before = events().length;
    await accounts.update(user.id, dto({ firstName: 'Test', enabled: true }), manager);
    expect(events().length).toBe(before);
  });

  it('update() refuses an email taken in any case, but allows a case change of your own', async () => {
    const a = await signUp('mail_a');
    await signUp('mail_b');
    await expect(
      accounts.update(a.id, dto({ email: 'MAIL_B@example.com' }), manager),
    ).rejects.toMatchObject({ status: 409, response: { code: 'EMAIL_TAKEN' } });
    await expect(
      accounts.update(a.id, dto({ email: 'Mail_A@Example.com' }), manager),
    ).resolves.toMatchObject({ email: 'Mail_A@Example.com' });
  });

  it('update() refuses to let an employee disable or demote themselves', async () => {
    const self = await signUp('self_emp', 'employee');
    const actor = { userId: self.id, username: self.username };
    await expect(accounts.update(self.id, dto({ enabled: false }), actor)).rejects.toMatchObject({
      status: 422,
    });
    await expect(accounts.update(self.id, dto({ role: 'customer' }), actor)).rejects.toMatchObject({
      status: 422,
    });
  });

  it('list() works with no filter, with each filter, and pages', async () => {
    const all = await accounts.list({ page: 1, limit: 100 });
    const employees = await accounts.list({ page: 1, limit: 100, role: 'employee' });
    const customers = await accounts.list({ page: 1, limit: 100, role: 'customer' });
    expect(all.total).toBe(employees.total + customers.total);
    expect(employees.items.every((u) => u.role === 'employee')).toBe(true);
    const victim = customers.items[0];
    await accounts.update(victim.id, dto({ enabled: false }), manager);
    const disabled = await accounts.list({ page: 1, limit: 100, enabled: false });
    expect(disabled.items.map((u) => u.id)).toEqual([victim.id]);
    expect((await accounts.list({ page: 1, limit: 100, enabled: true })).total).toBe(all.total - 1);
    const page1 = await accounts.list({ page: 1, limit: 2 });
    const page2 = await accounts.list({ page: 2, limit: 2 });
    expect([...page1.items, ...page2.items].map((u) => u.id)).toEqual(
      all.items.slice(0, 4).map((u) => u.id),
    );
  });
});
