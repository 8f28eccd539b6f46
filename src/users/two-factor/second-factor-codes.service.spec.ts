import { UsersErrors } from '@mfm/contracts/errors.contract';
import { appCode, refusal, testConfig, usersServices } from '../users-services.spec-helper';
import type { SecondFactorCodes } from './second-factor-codes.service';

describe('SecondFactorCodes (real SQLite, in memory): the check of a code and the budget of wrong codes', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let codes: SecondFactorCodes;
  const limit = testConfig.login.maxFailuresPerUsername;

  beforeAll(async () => {
    services = await usersServices();
    codes = services.codes;
  });

  afterAll(async () => {
    await services.close();
  });

  /** The audit events of the account recorded since `before` events. */
  const auditedFor = (userId: string, before: number) =>
    services
      .auditEvents()
      .slice(before)
      .filter((event) => event.subject?.id === userId);

  it('records each wrong code as mfa_failed of the account, by itself, naming why', async () => {
    const { user, secret } = await services.withApp();
    const before = services.auditEvents().length;
    await refusal(codes.prove(user, '000000', ['totp']));
    await refusal(codes.prove(user, appCode(secret), ['totp']));
    expect(auditedFor(user.id, before)).toEqual([
      expect.objectContaining({
        type: 'mfa_failed',
        actor: { userId: user.id, username: user.username },
        payload: { reason: 'INVALID_MFA_CODE' },
      }),
      expect.objectContaining({ type: 'mfa_failed', payload: { reason: 'MFA_CODE_REUSED' } }),
    ]);
  });

  it('a failure that is not a wrong code is passed on as it is, neither counted nor audited', async () => {
    const { user } = await services.withApp();
    const before = services.auditEvents().length;
    const storeDown = new Error('database is locked');
    const disabled = UsersErrors.ACCOUNT_DISABLED.error();
    for (let i = 0; i < limit; i++) {
      await expect(codes.withAccountBudget(user, () => Promise.reject(storeDown))).rejects.toBe(
        storeDown,
      );
      await expect(codes.withAccountBudget(user, () => Promise.reject(disabled))).rejects.toBe(
        disabled,
      );
    }
    expect(auditedFor(user.id, before)).toEqual([]);
    // The whole budget of wrong codes is still there.
    for (let i = 0; i < limit; i++)
      expect((await refusal(codes.prove(user, '000000', ['totp']))).status).toBe(401);
    expect((await refusal(codes.prove(user, '000000', ['totp']))).status).toBe(429);
  });

  it('takes an app code only where one is asked for', async () => {
    const { user, secret } = await services.withApp();
    const refused = await refusal(codes.prove(user, appCode(secret, 1), ['backup_code']));
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
    expect(refused.details).toEqual({ field: 'code' });
    // The code was not spent: the app still proves with it.
    expect(await codes.prove(user, appCode(secret, 1), ['totp'])).toBe('totp');
  });

  it('a backup code used is audited with how many of the account’s own are left', async () => {
    const { user, backupCodes } = await services.withApp();
    await services.withApp(); // another account's codes are not counted
    const before = services.auditEvents().length;
    await codes.prove(user, backupCodes[0], ['backup_code']);
    await codes.prove(user, backupCodes[1], ['totp', 'backup_code']);
    expect(auditedFor(user.id, before)).toEqual([
      expect.objectContaining({
        type: 'backup_code_used',
        actor: { userId: user.id, username: user.username },
        payload: { backupCodesLeft: 9 },
      }),
      expect.objectContaining({ type: 'backup_code_used', payload: { backupCodesLeft: 8 } }),
    ]);
  });
});
