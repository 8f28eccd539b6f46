import { DataSource } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { MAIL_TARGET } from '../mail/mail-message';
import type { Message } from '../rpc/message';
import { Outbox, OutboxReceiver, OutboxTarget } from './outbox';
import { OutboxMessage } from './outbox-message.entity';

const INDEX_PRODUCT: Message<{ productId: string }, void> = {
  module: 'search',
  pattern: 'search.index_product',
  idempotent: true,
};

/** Polls until `done` holds (deliveries and acknowledgements follow a write asynchronously). */
async function until(done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done()) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A receiver that answers when told to, recording what it was sent. */
function receiver() {
  const received: string[] = [];
  const answered: string[] = [];
  let answer: (() => void) | undefined;
  let answers = false;
  const client: OutboxReceiver = {
    send: async (pattern: string) => {
      received.push(pattern);
      if (!answers) await new Promise<void>((resolve) => (answer = resolve));
      answered.push(pattern);
      return undefined as never;
    },
  };
  return {
    client,
    received,
    answered,
    answerFromNowOn: () => {
      answers = true;
      answer?.();
    },
  };
}

describe('Outbox.write', () => {
  let dataSource: DataSource;
  let outbox: Outbox;
  const search = receiver();
  const mail = receiver();

  beforeAll(async () => {
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [OutboxMessage],
      synchronize: true,
    }).initialize();
    const tx = new TransactionRunner(dataSource, 'products');
    outbox = new Outbox(
      'products',
      dataSource.getRepository(OutboxMessage),
      tx,
      (target: OutboxTarget) => (target === MAIL_TARGET ? mail.client : search.client),
    );
  });

  afterAll(async () => {
    mail.answerFromNowOn();
    await outbox.onApplicationShutdown();
    await dataSource.destroy();
  });

  const delivered = async () =>
    (await dataSource.getRepository(OutboxMessage).find({ order: { seq: 'ASC' } })).map(
      (row) => [row.target, row.deliveredAt !== null] as const,
    );

  it('answers once the modules have the change, without waiting for the mail server', async () => {
    search.answerFromNowOn();
    // The mail server never answers during this write, and the write would wait a minute for
    // every receiver it waits for: it returns because it does not wait for mail.
    await outbox.write(
      async (_manager, out) => {
        await out.send(INDEX_PRODUCT, { productId: 'p1' });
        await out.mail(
          { userId: 'u1' },
          { template: 'order_cancelled', data: { orderId: 'o1', totalCents: 100 } },
        );
      },
      { waitMs: 60_000 },
    );
    // Read-your-writes for what the store reads back (search has answered; its acknowledgement
    // is stored right after); the mail is on its way, not yet sent.
    expect(search.answered).toEqual([INDEX_PRODUCT.pattern]);
    expect(mail.received).toEqual(['mail.send']);
    expect(mail.answered).toEqual([]);
    await until(async () => (await delivered())[0][1]);
    expect(await delivered()).toEqual([
      ['search', true],
      [MAIL_TARGET, false],
    ]);

    // The mail server answers: the delivery under way completes.
    mail.answerFromNowOn();
    await until(async () => (await delivered()).every(([, done]) => done));
    expect(await delivered()).toEqual([
      ['search', true],
      [MAIL_TARGET, true],
    ]);
  }, 30_000);
});

describe('Outbox redelivery', () => {
  it('a message its receiver refused goes out again after its backoff, without a new write', async () => {
    const dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [OutboxMessage],
      synchronize: true,
    }).initialize();
    const repo = dataSource.getRepository(OutboxMessage);
    let down = true;
    const received: string[] = [];
    const outbox = new Outbox(
      'products',
      repo,
      new TransactionRunner(dataSource, 'products'),
      () => ({
        send: async (pattern: string) => {
          if (down) throw new Error('search is down');
          received.push(pattern);
          return undefined as never;
        },
      }),
    );
    await outbox.onApplicationBootstrap();
    try {
      await outbox.write((_manager, out) => out.send(INDEX_PRODUCT, { productId: 'p1' }));
      const stored = () => repo.findOneByOrFail({ pattern: INDEX_PRODUCT.pattern });
      expect(received).toEqual([]);
      await until(async () => (await stored()).attempts >= 1);
      expect((await stored()).attempts).toBeGreaterThanOrEqual(1);
      expect((await stored()).deliveredAt).toBeNull();

      down = false;
      await until(async () => (await stored()).deliveredAt !== null);
      expect(received).toEqual([INDEX_PRODUCT.pattern]);
      expect((await stored()).deliveredAt).toBeInstanceOf(Date);
    } finally {
      await outbox.onApplicationShutdown();
      await dataSource.destroy();
    }
  }, 30_000);
});
