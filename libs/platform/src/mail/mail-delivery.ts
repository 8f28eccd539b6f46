import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModuleName } from '../topology/module-names';
import { dataKeyRing } from '../crypto/data-keys';
import { MAIL_CONTACTS, MailContact, MailContacts } from './mail-contacts';
import { MAIL_SEAL_CONTEXT, MailMessage, StoredMail } from './mail-message';
import { MAIL_TEMPLATES, MailTemplates } from './mail-renderer';
import { MailSender } from './mail-sender';

/**
 * Delivers the mail an outbox holds: opens a sealed message, looks up an account's address (and
 * name) in the users module when the mail is addressed to an account, renders the template (the
 * application's MAIL_TEMPLATES) and sends it. Any failure (SMTP down, users unreachable) throws,
 * and the outbox tries again later: an outage delays mail, never loses it, and never fails the
 * request that wrote it.
 */
@Injectable()
export class MailDelivery implements OnApplicationShutdown {
  private sender?: MailSender;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_CONTACTS) private readonly contacts: MailContacts,
    @Inject(MAIL_TEMPLATES) private readonly templates: MailTemplates,
  ) {}

  /** `sender`: the module whose outbox holds the mail (it asks users for the address as itself). */
  async deliver(stored: StoredMail, sender?: ModuleName): Promise<void> {
    const message: MailMessage =
      'sealed' in stored
        ? (JSON.parse(
            dataKeyRing(this.config).open(stored.sealed, MAIL_SEAL_CONTEXT),
          ) as MailMessage)
        : stored;
    const to: MailContact =
      'userId' in message.to
        ? await this.contacts.contactOf(message.to.userId, sender)
        : message.to;
    const rendered = this.templates.render(message, to.name);
    this.sender ??= new MailSender(this.config);
    await this.sender.send({ ...rendered, mailId: message.mailId, to });
  }

  onApplicationShutdown(): void {
    this.sender?.close();
  }
}
