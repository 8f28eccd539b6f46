/** The name the store's mails carry (subjects, the frame of every mail). */
export const MAIL_STORE_NAME = 'Micro Foods Market';

/** A change to how an account signs in or where its mail goes: its owner is told of each. */
export type AccountChange =
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'backup_codes_regenerated'
  | 'passkey_added'
  | 'passkey_removed'
  | 'email_changed'
  | 'password_reset';

/** The users module's mails, by template, with the data each template needs. */
export type UsersMail =
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
      template: 'store_feedback';
      data: { fromName: string; fromEmail: string; message: string; signedInAs?: string };
    };

export interface OrderMailLine {
  name: string;
  quantity: number;
  totalCents: number;
}

/** The orders module's mails, by template, with the data each template needs. */
export type OrdersMail =
  | {
      template: 'order_confirmed';
      data: { orderId: string; lines: OrderMailLine[]; totalCents: number };
    }
  | { template: 'order_cancelled'; data: { orderId: string; totalCents: number } };

/** Every mail the store sends (OutboxWriter.mail takes only these). */
export type StoreMail = UsersMail | OrdersMail;

export type StoreMailTemplate = StoreMail['template'];
