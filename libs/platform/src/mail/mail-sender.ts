import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config';
import type { RenderedMail } from './mail-renderer';

export interface OutgoingMail extends RenderedMail {
  mailId: string;
  to: { address: string; name?: string };
}

/** `a***@example.com`: enough to tell mails apart in a log, not enough to collect addresses. */
export const maskAddress = (address: string): string =>
  address.replace(/^(.)[^@]*(@.*)$/, (_m, first: string, domain: string) => `${first}***${domain}`);

/**
 * Sends rendered mail with nodemailer: over SMTP when SMTP_URL is set, else (development and
 * tests only; production requires SMTP_URL) into `<DATA_DIR>/mail/<mailId>.eml`, logging the
 * link or code it carries so a developer can follow it. The Message-ID is derived from the
 * outbox's mail id, so a mail delivered twice (at least once) is recognisably the same.
 */
export class MailSender {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;
  private readonly folder?: string;

  constructor(private readonly config: AppConfig) {
    if (config.mail.smtpUrl) {
      this.transport = createTransport({
        url: config.mail.smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
    } else {
      this.folder = join(config.dataDir, 'mail');
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transport.sendMail({
      from: this.config.mail.from,
      to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.mailId}@micro-foods-market>`,
    })) as { message?: Buffer };
    if (!this.folder) return;
    await mkdir(this.folder, { recursive: true });
    const file = join(this.folder, `${mail.mailId}.eml`);
    // Written whole, then renamed: a reader never sees half a mail. Asynchronous, so that a burst
    // of order confirmations does not hold the event loop while the files are created.
    await writeFile(`${file}.tmp`, info.message ?? '');
    await rename(`${file}.tmp`, file);
    this.logger.log({
      msg: `mail "${mail.subject}" to ${maskAddress(mail.to.address)} written to ${file} (no SMTP_URL)${
        mail.highlight ? `: ${mail.highlight}` : ''
      }`,
    });
  }

  close(): void {
    this.transport.close();
  }
}
