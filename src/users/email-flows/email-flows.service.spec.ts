import { IsNull, type DataSource } from 'typeorm';
import { Session } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import {
  PASSWORD,
  refusal,
  reload,
  testConfig,
  usersServices,
} from '../users-services.spec-helper';
import { AccountTokens } from './account-tokens.service';
import { EmailFlows } from './email-flows.service';

describe('EmailFlows (real SQLite, in memory): verify, reset and change by mail', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let db: DataSource;
  let flows: EmailFlows;
  let sessions: SessionsService;
  const address = '198.51.100.7';

  /** The token of the latest mail of a template to an account (or an address). */
  const lastToken = async (template: string) => {
    const mail = (await services.mails()).filter((m) => m.template === template).at(-1);
    if (!mail) throw new Error(`no ${template} mail`);
    return mail.data.token;
  };

  beforeAll(async () => {
    services = await usersServices();
    db = services.db;
    sessions = new SessionsService(db.getRepository(Session), services.outbox, testConfig);
    flows = new EmailFlows(
      services.outbox,
      testConfig,
      db.getRepository('User'),
      services.accounts,
      new AccountTokens(),
      services.hasher,
      services.passwordCheck,
      sessions,
      services.audit,
    );
  });

  afterAll(async () => {
    await services.close();
  });

  it('verifies with the latest link only, once', async () => {
    const user = await services.customer();
    const first = await lastToken('verify_email');
    await flows.resendVerification(user.id);
    const latest = await lastToken('verify_email');
    expect(latest).not.toBe(first);

    const replaced = await refusal(flows.verifyEmail(first));
    expect(replaced).toMatchObject({
      status: 400,
      code: 'INVALID_VERIFICATION_TOKEN',
      message: 'This verification link is not valid or has expired',
      details: { field: 'token' },
    });
    await flows.verifyEmail(latest);
    expect((await reload(db, user.id)).emailVerifiedAt).not.toBeNull();
    expect((await refusal(flows.verifyEmail(latest))).code).toBe('INVALID_VERIFICATION_TOKEN');
    expect(await refusal(flows.resendVerification(user.id))).toMatchObject({
      status: 409,
      code: 'EMAIL_ALREADY_VERIFIED',
    });
  });

  it('mails a reset link only to an account, and says nothing either way', async () => {
    const before = (await services.mails()).filter((m) => m.template === 'password_reset').length;
    await flows.requestPasswordReset('nobody@example.com');
    expect((await services.mails()).filter((m) => m.template === 'password_reset')).toHaveLength(
      before,
    );
    const user = await services.customer();
    await flows.requestPasswordReset(user.email);
    expect((await services.mails()).filter((m) => m.template === 'password_reset')).toHaveLength(
      before + 1,
    );
  });

  it('resets with the link: a weak password keeps the link, the reset ends every session', async () => {
    const user = await services.customer();
    await sessions.start(user.id, services.audit.event('login', user, undefined), ['pwd']);
    await flows.requestPasswordReset(user.email);
    const token = await lastToken('password_reset');

    const weak = await refusal(flows.resetPassword(token, 'short'));
    expect(weak).toMatchObject({ status: 400, code: 'WEAK_PASSWORD' });
    const rules = weak.details?.rules as string[];
    expect(rules.length).toBeGreaterThan(0);
    expect(weak.message).toBe(`The password ${rules.join(', ')}`);

    await flows.resetPassword(token, 'Fresh-Basket-42');
    const after = await reload(db, user.id);
    expect(await services.hasher.verify(after.passwordHash, 'Fresh-Basket-42')).toBe(true);
    expect(await db.manager.countBy(Session, { userId: user.id })).toBe(1);
    expect(await db.manager.countBy(Session, { userId: user.id, revokedAt: IsNull() })).toBe(0);
    expect(await refusal(flows.resetPassword(token, 'Another-Basket-43'))).toMatchObject({
      status: 400,
      code: 'INVALID_RESET_TOKEN',
      message: 'This password reset link is not valid or has expired',
    });
  });

  it('changes the address only with the password, to a free new one, by the link mailed there', async () => {
    const user = await services.customer();
    const taken = await services.customer();

    const wrongPassword = await refusal(
      flows.requestEmailChange(user.id, 'new@example.com', 'Not-It-1', address),
    );
    expect(wrongPassword).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(
      await refusal(flows.requestEmailChange(user.id, user.email.toUpperCase(), PASSWORD, address)),
    ).toMatchObject({ status: 409, code: 'EMAIL_UNCHANGED', details: { field: 'newEmail' } });
    expect(
      await refusal(flows.requestEmailChange(user.id, taken.email, PASSWORD, address)),
    ).toMatchObject({ status: 409, code: 'EMAIL_TAKEN', details: { field: 'newEmail' } });

    await flows.requestEmailChange(
      user.id,
      `moved.${user.username}@example.org`,
      PASSWORD,
      address,
    );
    const mail = (await services.mails()).filter((m) => m.template === 'email_change').at(-1);
    expect(mail?.to).toMatchObject({ address: `moved.${user.username}@example.org` });
    // Until the link is opened, the account keeps its address.
    expect((await reload(db, user.id)).email).toBe(user.email);

    const moved = await flows.confirmEmailChange(mail?.data.token as string);
    expect(moved.email).toBe(`moved.${user.username}@example.org`);
    const notice = (await services.mails()).filter((m) => m.template === 'account_changed').at(-1);
    expect(notice?.to).toMatchObject({ address: user.email });
    expect((await refusal(flows.confirmEmailChange(mail?.data.token as string))).code).toBe(
      'INVALID_EMAIL_CHANGE_TOKEN',
    );
  });
});
