import type { AccountChange, UsersMail } from '@mfm/contracts/mail';
import { MAIL_STORE_NAME as STORE } from '@mfm/contracts/mail';
import {
  button,
  code,
  escapeHtml,
  greeting,
  layout,
  paragraph,
} from '@mfm/platform/mail/mail-layout';
import type { RenderedMail } from '@mfm/platform/mail/mail-renderer';

/** What the owner is told happened, completing "… on your account". */
const ACCOUNT_CHANGES: Record<AccountChange, string> = {
  mfa_enabled: 'Two-factor sign-in with an authenticator app was turned on',
  mfa_disabled: 'Two-factor sign-in with an authenticator app was turned off',
  backup_codes_regenerated: 'New backup codes were made (the earlier ones stopped working)',
  passkey_added: 'A passkey was added',
  passkey_removed: 'A passkey was removed',
  email_changed: 'The email address was changed (this address no longer receives its mail)',
  password_reset: 'The password was reset (every session was signed out)',
};

const utc = (iso: string): string =>
  `${new Date(iso).toISOString().slice(0, 16).replace('T', ' at ')} UTC`;

/** Renders one of the users module's mails: a plain-text part and an HTML part saying the same. */
export function renderUsersMail(content: UsersMail, recipientName?: string): RenderedMail {
  const hello = greeting(recipientName ?? ('name' in content.data ? content.data.name : undefined));
  switch (content.template) {
    case 'verify_email': {
      const { link, token } = content.data;
      const lines = [
        'please confirm your email address by opening this link (valid for 24 hours):',
        link,
        `Or enter this code: ${token}`,
      ];
      return {
        subject: `Confirm your email address for ${STORE}`,
        text: [hello, '', ...lines].join('\n'),
        html: layout(
          STORE,
          'Confirm your email address',
          paragraph(hello) +
            paragraph(lines[0]) +
            button(link, 'Confirm my address') +
            paragraph(lines[2]),
        ),
        highlight: link,
      };
    }
    case 'password_reset': {
      const { link, token } = content.data;
      const lines = [
        'someone (hopefully you) asked to reset the password of your account. Open this link within 30 minutes to choose a new one:',
        link,
        `Or enter this code: ${token}`,
        'Resetting the password signs you out everywhere. If you did not ask, ignore this mail: your password stays as it is.',
      ];
      return {
        subject: `Reset your ${STORE} password`,
        text: [hello, '', ...lines].join('\n'),
        html: layout(
          STORE,
          'Reset your password',
          paragraph(hello) +
            paragraph(lines[0]) +
            button(link, 'Choose a new password') +
            paragraph(lines[2]) +
            paragraph(lines[3]),
        ),
        highlight: link,
      };
    }
    case 'email_change': {
      const { link, token } = content.data;
      const lines = [
        `to use this address for your ${STORE} account, open this link within 24 hours:`,
        link,
        `Or enter this code: ${token}`,
      ];
      return {
        subject: `Confirm your new email address for ${STORE}`,
        text: [hello, '', ...lines].join('\n'),
        html: layout(
          STORE,
          'Confirm your new email address',
          paragraph(hello) +
            paragraph(lines[0]) +
            button(link, 'Use this address') +
            paragraph(lines[2]),
        ),
        highlight: link,
      };
    }
    case 'login_code': {
      const lines = [
        'your sign-in code is below. It works once, within 10 minutes.',
        content.data.code,
        'If you are not signing in right now, someone knows your password: change it.',
      ];
      return {
        // Never the code itself: a lock screen shows the subject to whoever holds the phone.
        subject: `Your ${STORE} sign-in code`,
        text: [hello, '', ...lines].join('\n'),
        html: layout(
          STORE,
          'Your sign-in code',
          paragraph(hello) + paragraph(lines[0]) + code(lines[1]) + paragraph(lines[2]),
        ),
        highlight: content.data.code,
      };
    }
    case 'account_changed': {
      const { change, at, link } = content.data;
      const lines = [
        `${ACCOUNT_CHANGES[change]} on your ${STORE} account, on ${utc(at)}.`,
        'If that was you, there is nothing to do.',
        'If it was not you, secure your account now: reset your password with this link (it signs out every session), then check two-factor sign-in, your passkeys and your email address on your account page.',
        link,
      ];
      return {
        subject: `Security notice: a change to your ${STORE} account`,
        text: [hello, '', ...lines].join('\n'),
        html: layout(
          STORE,
          'A change to your account',
          paragraph(hello) +
            paragraph(lines[0]) +
            paragraph(lines[1]) +
            paragraph(lines[2]) +
            button(link, 'Reset my password'),
        ),
      };
    }
    case 'store_feedback': {
      const { fromName, fromEmail, message, signedInAs } = content.data;
      const from = `${fromName} <${fromEmail}>${signedInAs ? ` (signed in as ${signedInAs})` : ''}`;
      return {
        subject: `Store feedback from ${fromName}`,
        text: [`From: ${from}`, '', message].join('\n'),
        html: layout(
          STORE,
          'Store feedback',
          paragraph(`From: ${from}`) +
            `<blockquote style="white-space: pre-wrap">${escapeHtml(message)}</blockquote>`,
        ),
      };
    }
  }
}
