import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePorts } from './free-port';
import type { Store } from './store';

/** A mail as a test reads it: who it went to, its subject, both parts. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

async function toReceived(raw: Buffer | string): Promise<ReceivedMail> {
  const parsed: ParsedMail = await simpleParser(raw);
  const to = [parsed.to ?? []]
    .flat()
    .flatMap((group) => group.value.map((address) => (address.address ?? '').toLowerCase()));
  return {
    to,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId ?? '',
  };
}

/** The token of a mailed link ("Or enter this code: <token>"). */
export function tokenIn(mail: ReceivedMail): string {
  const match = /Or enter this code: (\S+)/.exec(mail.text);
  if (!match) throw new Error(`no token in mail "${mail.subject}":\n${mail.text}`);
  return match[1];
}

/** The six-digit code of a sign-in code mail. */
export function codeIn(mail: ReceivedMail): string {
  const match = /^(\d{6})$/m.exec(mail.text);
  if (!match) throw new Error(`no code in mail "${mail.subject}":\n${mail.text}`);
  return match[1];
}

async function until<T>(
  what: string,
  find: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The store's default mail without SMTP_URL: `.eml` files in `<DATA_DIR>/mail`. Users and orders
 * write there (the same folder in both topologies).
 */
export class MailFolder {
  constructor(private readonly store: Store) {}

  get folder(): string {
    return join(this.store.dataDir('users'), 'mail');
  }

  async all(): Promise<ReceivedMail[]> {
    let files: string[];
    try {
      files = readdirSync(this.folder).filter((name) => name.endsWith('.eml'));
    } catch {
      return [];
    }
    return Promise.all(files.map((name) => toReceived(readFileSync(join(this.folder, name)))));
  }

  /** Waits for a mail to `address` whose subject matches, and returns the newest such. */
  async waitFor(address: string, subject: RegExp, timeoutMs = 10_000): Promise<ReceivedMail> {
    return until(
      `a mail "${subject.source}" to ${address}`,
      async () =>
        (await this.all())
          .filter((m) => m.to.includes(address.toLowerCase()) && subject.test(m.subject))
          .pop(),
      timeoutMs,
    );
  }
}

/**
 * A real SMTP server in the test process (the `smtp-server` package, plain SMTP on loopback):
 * the store is given `SMTP_URL=smtp://127.0.0.1:<port>`, and tests read what it received. It can
 * be stopped and started again on the same port, to play a mail server outage.
 */
export class SmtpCatcher {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;

  private constructor(readonly port: number) {}

  static async start(): Promise<SmtpCatcher> {
    const [port] = await freePorts(1);
    const catcher = new SmtpCatcher(port);
    await catcher.listen();
    return catcher;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          toReceived(Buffer.concat(chunks)).then(
            (mail) => {
              this.received.push(mail);
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops accepting connections (an outage); `listen()` brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Mails received so far for an address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  async waitFor(address: string, subject: RegExp, timeoutMs = 15_000): Promise<ReceivedMail> {
    return until(
      `a mail "${subject.source}" to ${address}`,
      () =>
        this.to(address)
          .filter((m) => subject.test(m.subject))
          .pop(),
      timeoutMs,
    );
  }
}
