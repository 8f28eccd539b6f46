import type { DataSource } from 'typeorm';
import { appCode, PASSWORD, refusal, reload, usersServices } from '../users-services.spec-helper';
import type { TwoFactorEnrolment } from './two-factor-enrolment.service';

describe('TwoFactorEnrolment (real SQLite, in memory): turning two-factor sign-in on and off', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let db: DataSource;
  let enrolment: TwoFactorEnrolment;
  const address = '203.0.113.9';

  beforeAll(async () => {
    services = await usersServices();
    db = services.db;
    enrolment = services.enrolment;
  });

  afterAll(async () => {
    await services.close();
  });

  it('turns on only with a first code of the enrolled app, then shows ten backup codes', async () => {
    const user = await services.customer();
    const notStarted = await refusal(enrolment.confirmTotp(user.id, '123456', undefined));
    expect(notStarted).toMatchObject({ status: 409, code: 'MFA_NOT_ENROLLING' });

    const { secret, otpauthUri, qrCode } = await enrolment.startTotp(user.id);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);

    const wrong = await refusal(enrolment.confirmTotp(user.id, '000000', undefined));
    expect(wrong).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
    expect(await enrolment.status(user.id)).toMatchObject({ totpEnabled: false });

    const backupCodes = await enrolment.confirmTotp(user.id, appCode(secret), undefined);
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    expect(await enrolment.status(user.id)).toEqual({
      totpEnabled: true,
      backupCodesLeft: 10,
      passkeys: 0,
    });
    // The step of the confirming code is taken: the same code cannot sign in afterwards.
    expect((await reload(db, user.id)).totpLastStep).not.toBeNull();
    expect(services.auditTypes()).toContain('mfa_enabled');
    const notices = (await services.mails()).filter((m) => m.template === 'account_changed');
    expect(notices.map((m) => m.data.change)).toContain('mfa_enabled');
  });

  it('refuses a second enrolment while an app is on', async () => {
    const user = await services.customer();
    const { secret } = await enrolment.startTotp(user.id);
    await enrolment.confirmTotp(user.id, appCode(secret), undefined);
    expect(await refusal(enrolment.startTotp(user.id))).toMatchObject({
      status: 409,
      code: 'MFA_ALREADY_ENABLED',
      message: 'Two-factor sign-in is already on; turn it off first to enrol another app',
    });
    expect(await refusal(enrolment.confirmTotp(user.id, appCode(secret, 1), undefined))).toEqual({
      status: 409,
      statusCode: 409,
      error: 'Conflict',
      code: 'MFA_ALREADY_ENABLED',
      message: 'Two-factor sign-in is already on',
    });
  });

  it('renews backup codes only against a code of the app; the old ones stop working', async () => {
    const user = await services.customer();
    const { secret } = await enrolment.startTotp(user.id);
    const old = await enrolment.confirmTotp(user.id, appCode(secret), undefined);

    const withBackup = await refusal(enrolment.regenerateBackupCodes(user.id, old[0]));
    expect(withBackup).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });

    const renewed = await enrolment.regenerateBackupCodes(user.id, appCode(secret, 1));
    expect(renewed).toHaveLength(10);
    expect(renewed.some((code) => old.includes(code))).toBe(false);
    expect(services.auditTypes()).toContain('backup_codes_regenerated');

    // Turning off with an old backup code fails; with a new one it works.
    const stale = await refusal(enrolment.disable(user.id, PASSWORD, old[1], address));
    expect(stale).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
    await enrolment.disable(user.id, PASSWORD, renewed[0], address);
    expect(await enrolment.status(user.id)).toEqual({
      totpEnabled: false,
      backupCodesLeft: 0,
      passkeys: 0,
    });
  });

  it('turns off only with the password and a current code; then there is nothing to turn off', async () => {
    const user = await services.customer();
    const { secret } = await enrolment.startTotp(user.id);
    const backupCodes = await enrolment.confirmTotp(user.id, appCode(secret), undefined);

    const badPassword = await refusal(
      enrolment.disable(user.id, 'Not-The-Password-1', backupCodes[0], address),
    );
    expect(badPassword).toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong password',
      details: { field: 'password' },
    });
    const badCode = await refusal(enrolment.disable(user.id, PASSWORD, '000000', address));
    expect(badCode.code).toBe('INVALID_MFA_CODE');
    expect(await enrolment.status(user.id)).toMatchObject({ totpEnabled: true });

    await enrolment.disable(user.id, PASSWORD, appCode(secret, 1), address);
    expect((await reload(db, user.id)).totpSecret).toBeNull();
    expect(services.auditTypes()).toContain('mfa_disabled');
    expect(await refusal(enrolment.disable(user.id, PASSWORD, '123456', address))).toMatchObject({
      status: 409,
      code: 'MFA_NOT_ENABLED',
    });
  });
});
