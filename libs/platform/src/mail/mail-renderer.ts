import type { MailContent } from './mail-message';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The link or code the mail carries: logged when mail only goes to files (development). */
  highlight?: string;
}

/**
 * Renders the store's mail from its template: a plain-text part and an HTML part saying the same.
 * The modules that send mail own their templates; the platform only asks when a mail goes out.
 * `recipientName`: the account's name, when the mail is addressed to an account.
 */
export interface MailTemplates {
  render(content: MailContent, recipientName?: string): RenderedMail;
}

/** The token of the MailTemplates (PlatformModule's bindings). */
export const MAIL_TEMPLATES = 'MAIL_TEMPLATES';
