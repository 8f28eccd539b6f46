/** The outbox target and pattern of mail: delivered by this process's mail sender, not a module. */
export const MAIL_TARGET = 'mail';
export const MAIL_PATTERN = 'mail.send';

export type MailRecipient =
  /** An address known to the sender (a new address to confirm, the feedback inbox). */
  | { address: string; name?: string }
  /** An account: its address is asked of the users module when the mail goes out. */
  | { userId: string };

/**
 * A mail as its sender writes it: the template that renders it and the data that template needs.
 * Which templates exist, and their data, is the application's (MAIL_TEMPLATES renders them).
 */
export interface MailContent {
  template: string;
  data: object;
}

/** One mail as it waits in an outbox. `mailId` makes redelivery recognisable (Message-ID). */
export type MailMessage = MailContent & { mailId: string; to: MailRecipient };

/** What an outbox row holds for mail: the message, or the message sealed (personal data at rest). */
export type StoredMail = MailMessage | { sealed: string };

/** The sealing context of mail in an outbox: a sealed mail opens only as mail. */
export const MAIL_SEAL_CONTEXT = 'outbox.mail';
