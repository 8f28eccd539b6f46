/** The outbox target and pattern of mail: delivered by this process's mail sender, not a module. */
export const MAIL_TARGET = 'mail';
export const MAIL_PATTERN = 'mail.send';

export type MailRecipient =
  /** An address known to the sender (a new address to confirm, the feedback inbox). */
  | { address: string; name?: string }
  /** An account: its address is asked of the users module when the mail goes out. */
  | { userId: string };

/** A change to how an account signs in or where its mail goes: its owner is told of each. */
export type AccountChange =
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'backup_codes_regenerated'
  | 'passkey_added'
  | 'passkey_removed'
  | 'email_changed'
  | 'password_reset';

export interface OrderMailLine {
  name: string;
  quantity: number;
  totalCents: number;
}

/** Every mail the store sends, by template, with the data its template needs. */
export type MailContent =
  | { template: 'verify_email'; data: { name: string; link: string; token: string } }
  | { template: 'password_reset'; data: { name: string; link: string; token: string } }
  | { template: 'email_change'; data: { name: string; link: string; token: string } }
  | { template: 'login_code'; data: { name: string; code: string } }
  | {
      template: 'account_changed';
      /** `at`: ISO 8601; `link`: where to secure the account (the forgotten-password page). */
      data: { name: string; change: AccountChange; at: string; link: string };
    }
  | {
      template: 'order_confirmed';
      data: { orderId: string; lines: OrderMailLine[]; totalCents: number };
    }
  | { template: 'order_cancelled'; data: { orderId: string; totalCents: number } }
  | {
      template: 'store_feedback';
      data: { fromName: string; fromEmail: string; message: string; signedInAs?: string };
    };

export type MailTemplateName = MailContent['template'];

/** One mail as it waits in an outbox. `mailId` makes redelivery recognisable (Message-ID). */
export type MailMessage = MailContent & { mailId: string; to: MailRecipient };

/** What an outbox row holds for mail: the message, or the message sealed (personal data at rest). */
export type StoredMail = MailMessage | { sealed: string };

/** The sealing context of mail in an outbox: a sealed mail opens only as mail. */
export const MAIL_SEAL_CONTEXT = 'outbox.mail';
