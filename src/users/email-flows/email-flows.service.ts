import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { mailAccountChange } from '../account-notices';
import { AccountTokens } from './account-tokens.service';
import { AccountToken } from './account-token.entity';
import { User } from '../accounts/user.entity';
import { PasswordCheck } from '../password/password-check.service';
import { PasswordHasher } from '../password/password-hasher.service';
import { passwordProblems } from '../password/password-policy';
import { emailIndex } from '../personal-data';
import { SessionsService } from '../sessions/sessions.service';
import { accountLink, UserAccounts } from '../accounts/user-accounts.service';
import { UsersAudit } from '../users-audit.service';

const actor = (user: User) => ({ userId: user.id, username: user.username });

/**
 * What the store does by mail for an account: verifying its address, resetting a forgotten
 * password, moving to a new address. Every token is single use and mailed through the outbox, in
 * the transaction that issued it: a mail server outage delays the mail, never the answer.
 */
@Injectable()
export class EmailFlows {
  constructor(
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(User, 'users') private readonly users: Repository<User>,
    private readonly accounts: UserAccounts,
    private readonly tokens: AccountTokens,
    private readonly hasher: PasswordHasher,
    private readonly passwordCheck: PasswordCheck,
    private readonly sessions: SessionsService,
    private readonly audit: UsersAudit,
  ) {}

  /** Spends a verification token: the account's address is proven. */
  async verifyEmail(token: string): Promise<User> {
    return this.outbox.write(async (manager, out) => {
      const spent = await this.tokens.spend(manager, token, 'verify_email');
      const user = await manager.findOneByOrFail(User, { id: spent.userId });
      if (!user.emailVerifiedAt) {
        user.emailVerifiedAt = new Date();
        await manager.save(user);
        await out.audit(this.audit.event('email_verified', user, actor(user)));
      }
      return user;
    });
  }

  /** Mails a new verification link (the earlier ones stop working); 409 when already verified. */
  async resendVerification(userId: string): Promise<void> {
    await this.outbox.write(async (manager, out) => {
      const user = await manager.findOneByOrFail(User, { id: userId });
      if (user.emailVerifiedAt) throw UsersErrors.EMAIL_ALREADY_VERIFIED.error();
      await this.accounts.mailVerification(manager, out, user);
    });
  }

  /**
   * Mails a reset link when the address belongs to an enabled account, and does nothing
   * otherwise: the caller gets the same answer either way, so it learns nothing about who has an
   * account.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.accounts.findByEmail(email);
    if (!user || !user.enabled) return;
    await this.outbox.write(
      async (manager, out) => {
        const token = await this.tokens.issue(manager, user.id, 'reset_password');
        await out.mail(
          { userId: user.id },
          {
            template: 'password_reset',
            data: {
              name: user.firstName,
              token,
              link: accountLink(this.config, 'reset-password', token),
            },
          },
        );
        await out.audit(this.audit.event('password_reset_requested', user, undefined));
      },
      // The answer does not wait for the mail: its timing says nothing either.
      { waitMs: 0 },
    );
  }

  /**
   * Sets a new password with a reset token; every session of the account ends, links of a pending
   * address change stop working (they were perhaps asked for by whoever knew the old password),
   * and the owner is mailed.
   */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    // The token is checked first (and spent only with the change), so a weak password does not
    // burn it and a bad token never reaches the (slow) hash.
    const pending = await this.tokens.check(this.users.manager, token, 'reset_password');
    const user = await this.accounts.get(pending.userId);
    const problems = passwordProblems(newPassword, user);
    if (problems.length > 0)
      throw UsersErrors.WEAK_PASSWORD.error({ problems }, { rules: problems });
    const passwordHash = await this.hasher.hash(newPassword);
    await this.outbox.write(async (manager, out) => {
      await this.tokens.spend(manager, token, 'reset_password');
      await manager.update(User, { id: user.id }, { passwordHash, updatedAt: new Date() });
      const ended = await this.sessions.revokeAllIn(manager, user.id, 'password_reset');
      await manager.update(
        AccountToken,
        { userId: user.id, purpose: 'change_email', usedAt: IsNull() },
        { usedAt: new Date() },
      );
      await mailAccountChange(out, this.config, user, 'password_reset');
      await out.audit(
        this.audit.event('password_reset', user, actor(user), { sessionsEnded: ended }),
      );
    });
  }

  /**
   * Mails a confirmation link to the new address (the password proves it is the owner asking, and
   * counts in the login limit);
   * the account keeps its address until the link is opened.
   */
  async requestEmailChange(
    userId: string,
    newEmail: string,
    password: string,
    address: string,
  ): Promise<void> {
    const user = await this.accounts.get(userId);
    await this.passwordCheck.verify(user, password, address);
    if (emailIndex(newEmail) === user.emailKey)
      throw UsersErrors.EMAIL_UNCHANGED.error({ field: 'newEmail' });
    await this.outbox.write(async (manager, out) => {
      if (await manager.existsBy(User, { emailKey: emailIndex(newEmail) }))
        throw UsersErrors.EMAIL_TAKEN.error({ field: 'newEmail' });
      const token = await this.tokens.issue(manager, user.id, 'change_email', newEmail.trim());
      await out.mail(
        { address: newEmail.trim(), name: user.firstName },
        {
          template: 'email_change',
          data: {
            name: user.firstName,
            token,
            link: accountLink(this.config, 'confirm-email', token),
          },
        },
      );
      await out.audit(this.audit.event('email_change_requested', user, actor(user)));
    });
  }

  /**
   * Spends an email change token: the account moves to the (now proven) new address, and the old
   * address is told (it is the one whose owner can undo a takeover).
   */
  async confirmEmailChange(token: string): Promise<User> {
    return this.outbox.write(async (manager, out) => {
      const spent = await this.tokens.spend(manager, token, 'change_email');
      const user = await manager.findOneByOrFail(User, { id: spent.userId });
      const email = spent.data as string;
      if (
        (await manager.existsBy(User, { emailKey: emailIndex(email) })) &&
        emailIndex(email) !== user.emailKey
      )
        throw UsersErrors.EMAIL_TAKEN.error({ field: 'token' });
      const oldAddress = user.email;
      user.email = email;
      user.emailKey = emailIndex(email);
      user.emailVerifiedAt = new Date();
      await manager.save(user);
      await out.audit(this.audit.event('email_changed', user, actor(user)));
      await mailAccountChange(out, this.config, user, 'email_changed', {
        address: oldAddress,
        name: user.firstName,
      });
      return user;
    });
  }
}
