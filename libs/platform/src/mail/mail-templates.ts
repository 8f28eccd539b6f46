import type { AccountChange, MailContent } from './mail-message';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The link or code the mail carries: logged when mail only goes to files (development). */
  highlight?: string;
}

const STORE = 'Micro Foods Market';

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const money = (cents: number): string => `${(cents / 100).toFixed(2)}`;

/** The HTML frame of every mail; `body` is already escaped HTML. */
function layout(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; color: #1f2d1f; max-width: 36rem">',
    `<h1 style="font-size: 1.25rem; color: #2f6b2f">${STORE}</h1>`,
    body,
    '<p style="color: #667; font-size: 0.85rem">You get this mail because of your account at ',
    `${STORE}. If you did not ask for it, you can ignore it.</p>`,
    '</body></html>',
  ].join('\n');
}

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
const button = (link: string, label: string) =>
  `<p><a href="${escapeHtml(link)}" style="background: #2f6b2f; color: #fff; padding: 0.5rem 1rem; text-decoration: none; border-radius: 4px">${escapeHtml(label)}</a></p>`;
const code = (value: string) =>
  `<p style="font-size: 1.5rem; letter-spacing: 0.3rem; font-weight: bold">${escapeHtml(value)}</p>`;

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

/** Renders a mail from its template: a plain-text part and an HTML part saying the same. */
export function renderMail(content: MailContent, recipientName?: string): RenderedMail {
  const hello = `Hello ${recipientName ?? ('name' in content.data ? content.data.name : 'there')},`;
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
          'A change to your account',
          paragraph(hello) +
            paragraph(lines[0]) +
            paragraph(lines[1]) +
            paragraph(lines[2]) +
            button(link, 'Reset my password'),
        ),
      };
    }
    case 'order_confirmed': {
      const { orderId, lines, totalCents } = content.data;
      const rows = lines.map((l) => `${l.quantity} × ${l.name}: ${money(l.totalCents)}`);
      return {
        subject: `Your ${STORE} order is confirmed`,
        text: [
          hello,
          '',
          `thank you for your order ${orderId}:`,
          ...rows,
          `Total: ${money(totalCents)}`,
        ].join('\n'),
        html: layout(
          'Order confirmed',
          paragraph(hello) +
            paragraph(`thank you for your order ${orderId}:`) +
            `<ul>${rows.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` +
            paragraph(`Total: ${money(totalCents)}`),
        ),
      };
    }
    case 'order_cancelled': {
      const { orderId, totalCents } = content.data;
      const line = `your order ${orderId} (${money(totalCents)}) has been cancelled.`;
      return {
        subject: `Your ${STORE} order was cancelled`,
        text: [hello, '', line].join('\n'),
        html: layout('Order cancelled', paragraph(hello) + paragraph(line)),
      };
    }
    case 'store_feedback': {
      const { fromName, fromEmail, message, signedInAs } = content.data;
      const from = `${fromName} <${fromEmail}>${signedInAs ? ` (signed in as ${signedInAs})` : ''}`;
      return {
        subject: `Store feedback from ${fromName}`,
        text: [`From: ${from}`, '', message].join('\n'),
        html: layout(
          'Store feedback',
          paragraph(`From: ${from}`) +
            `<blockquote style="white-space: pre-wrap">${escapeHtml(message)}</blockquote>`,
        ),
      };
    }
  }
}
