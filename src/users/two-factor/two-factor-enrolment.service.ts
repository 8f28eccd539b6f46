import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { mailAccountChange } from '../account-notices';
import { User } from '../accounts/user.entity';
import { Passkey } from '../passkeys/passkey.entity';
import { PasswordCheck } from '../password/password-check.service';
import { endOtherSessions } from '../sessions/other-sessions';
import { UsersAudit } from '../users-audit.service';
import { BackupCode } from './backup-code.entity';
import { BACKUP_CODE_COUNT, newBackupCode } from './backup-codes';
import { selfActor } from './methods';
import { backupHash, SecondFactorCodes, wrongCode } from './second-factor-codes.service';
import { checkTotp, newTotpSecret, totpEnrolment } from './totp';

/**
 * Turning two-factor sign-in on and off from the account's own settings: an authenticator app
 * (TOTP, RFC 6238) confirmed by its first code, ten single-use backup codes, new ones on demand.
 */
@Injectable()
export class TwoFactorEnrolment {
  constructor(
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passwordCheck: PasswordCheck,
    private readonly codes: SecondFactorCodes,
    private readonly audit: UsersAudit,
    @InjectDataSource('users') private readonly db: DataSource,
  ) {}

  async status(userId: string): Promise<{
    totpEnabled: boolean;
    backupCodesLeft: number;
    passkeys: number;
  }> {
    const user = await this.db.manager.findOneByOrFail(User, { id: userId });
    return {
      totpEnabled: Boolean(user.totpSecret),
      backupCodesLeft: await this.db.manager.countBy(BackupCode, { userId, usedAt: IsNull() }),
      passkeys: await this.db.manager.countBy(Passkey, { userId }),
    };
  }

  /** A new secret to enrol (replacing an unconfirmed one); 409 while an app is already enrolled. */
  async startTotp(userId: string): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
    const secret = newTotpSecret();
    const user = await this.outbox.write(async (manager) => {
      const found = await manager.findOneByOrFail(User, { id: userId });
      if (found.totpSecret) throw UsersErrors.TOTP_ALREADY_ENROLLED.error();
      await manager.update(User, { id: userId }, { totpPendingSecret: secret });
      return found;
    });
    return { secret, ...(await totpEnrolment(secret, user.username)) };
  }

  /**
   * The first valid code of the enrolled app turns two-factor sign-in on: ten backup codes, shown
   * once. Every other session of the account ends (they began with the password alone), and the
   * owner is mailed.
   */
  async confirmTotp(
    userId: string,
    code: string,
    sessionId: string | undefined,
  ): Promise<string[]> {
    return this.outbox.write(async (manager, out) => {
      const user = await manager.findOneByOrFail(User, { id: userId });
      if (user.totpSecret) throw UsersErrors.MFA_ALREADY_ENABLED.error();
      if (!user.totpPendingSecret) throw UsersErrors.MFA_NOT_ENROLLING.error();
      const check = await checkTotp(user.totpPendingSecret, code, null);
      if (!check.valid) throw wrongCode();
      await manager.update(
        User,
        { id: userId },
        {
          totpSecret: user.totpPendingSecret,
          totpPendingSecret: null,
          totpLastStep: check.timeStep,
        },
      );
      const codes = await this.replaceBackupCodes(manager, userId);
      const sessionsEnded = await endOtherSessions(manager, userId, sessionId, 'mfa_enabled');
      await out.audit(
        this.audit.event('mfa_enabled', user, selfActor(user), { method: 'totp', sessionsEnded }),
      );
      await mailAccountChange(out, this.config, user, 'mfa_enabled');
      return codes;
    });
  }

  /** New backup codes (the old ones stop working), against a current code of the app. */
  async regenerateBackupCodes(userId: string, code: string): Promise<string[]> {
    const user = await this.enabledUser(userId);
    await this.codes.prove(user, code, ['totp']);
    return this.outbox.write(async (manager, out) => {
      const codes = await this.replaceBackupCodes(manager, userId);
      await out.audit(this.audit.event('backup_codes_regenerated', user, selfActor(user)));
      await mailAccountChange(out, this.config, user, 'backup_codes_regenerated');
      return codes;
    });
  }

  /**
   * Turns two-factor sign-in off: the password (counted in the login limit) and a current code
   * (or a backup code).
   */
  async disable(userId: string, password: string, code: string, address: string): Promise<void> {
    const user = await this.enabledUser(userId);
    await this.passwordCheck.verify(user, password, address);
    await this.codes.prove(user, code, ['totp', 'backup_code']);
    await this.outbox.write(async (manager, out) => {
      await manager.update(
        User,
        { id: userId },
        { totpSecret: null, totpPendingSecret: null, totpLastStep: null },
      );
      await manager.delete(BackupCode, { userId });
      await out.audit(this.audit.event('mfa_disabled', user, selfActor(user)));
      await mailAccountChange(out, this.config, user, 'mfa_disabled');
    });
  }

  private async enabledUser(userId: string): Promise<User> {
    const user = await this.db.manager.findOneByOrFail(User, { id: userId });
    if (!user.totpSecret) throw UsersErrors.MFA_NOT_ENABLED.error();
    return user;
  }

  private async replaceBackupCodes(manager: EntityManager, userId: string): Promise<string[]> {
    await manager.delete(BackupCode, { userId });
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
    await manager.insert(
      BackupCode,
      codes.map((code) => ({ id: randomUUID(), userId, codeHash: backupHash(code), usedAt: null })),
    );
    return codes;
  }
}
