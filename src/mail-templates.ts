import type { StoreMail, StoreMailTemplate } from '@mfm/contracts/mail';
import type { MailTemplates, RenderedMail } from '@mfm/platform/mail/mail-renderer';
import { renderOrdersMail } from './orders/mail-templates';
import { renderUsersMail } from './users/mail-templates';

type Renderer<Mail> = (content: Mail, recipientName?: string) => RenderedMail;

/** Who renders each of the store's mails: the module that sends it. */
const RENDERERS: { [T in StoreMailTemplate]: Renderer<Extract<StoreMail, { template: T }>> } = {
  verify_email: renderUsersMail,
  password_reset: renderUsersMail,
  email_change: renderUsersMail,
  login_code: renderUsersMail,
  account_changed: renderUsersMail,
  store_feedback: renderUsersMail,
  order_confirmed: renderOrdersMail,
  order_cancelled: renderOrdersMail,
};

/** The store's mail templates (PlatformModule's MAIL_TEMPLATES binding). */
export const STORE_MAIL_TEMPLATES: MailTemplates = {
  render(content, recipientName) {
    const render = RENDERERS[content.template as StoreMailTemplate] as
      Renderer<StoreMail> | undefined;
    // A mail only an older or newer store knows stays in the outbox rather than going out empty.
    if (!render) throw new Error(`no mail template "${content.template}"`);
    return render(content as StoreMail, recipientName);
  },
};
