import type { ModuleName } from '../topology/module-names';

/** Where a mail to an account goes: its address, and the name the mail greets. */
export interface MailContact {
  address: string;
  name?: string;
}

/**
 * Looks up the address of an account a mail is addressed to (the users module knows it).
 * `sender`: the module whose mail it is, which asks as itself.
 */
export interface MailContacts {
  contactOf(userId: string, sender?: ModuleName): Promise<MailContact>;
}

/** The token of the MailContacts (PlatformModule's bindings). */
export const MAIL_CONTACTS = 'MAIL_CONTACTS';
