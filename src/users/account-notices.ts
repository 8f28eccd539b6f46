import type { AppConfig } from '@mfm/platform/config/app-config';
import type { MailRecipient } from '@mfm/platform/mail/mail-message';
import type { AccountChange } from '@mfm/contracts/mail';
import type { OutboxWriter } from '@mfm/contracts/outbox';
import type { User } from './accounts/user.entity';

/**
 * Tells an account's owner that the way it signs in (or its address) changed: what, when, and
 * where to secure it if it was not them. Written in the transaction of the change, so the mail
 * goes out exactly when the change is made. Goes to the account's address as it is when the mail
 * leaves, unless `to` names another (the old address, when the address itself changed).
 */
export async function mailAccountChange(
  out: OutboxWriter,
  config: AppConfig,
  user: Pick<User, 'id' | 'firstName'>,
  change: AccountChange,
  to: MailRecipient = { userId: user.id },
): Promise<void> {
  await out.mail(to, {
    template: 'account_changed',
    data: {
      name: user.firstName,
      change,
      at: new Date().toISOString(),
      link: `${config.mail.publicUrl}/forgot-password`,
    },
  });
}
