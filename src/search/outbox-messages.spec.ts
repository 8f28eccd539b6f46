import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { message } from '@mfm/contracts/message';
import { ProductsMessages } from '@mfm/contracts/products.contract';
import { recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { SEARCH_ENTITIES, SEARCH_MIGRATIONS } from './search-schema';

/** What a module's outbox accepts, on the search module's real database in memory. */
describe('an outbox queues only messages that may arrive twice', () => {
  let db: DataSource;

  beforeEach(async () => {
    db = await testDatabase(SEARCH_ENTITIES, SEARCH_MIGRATIONS);
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('refuses a message that is not idempotent, and the transaction writes nothing', async () => {
    const { outbox } = recordingOutbox('search', db);
    const notIdempotent = message<{ n: number }, void>('products', 'count_once', {
      idempotent: false,
    });
    await expect(
      outbox.write(async (_manager, out) => {
        await out.send(ProductsMessages.getMany, { ids: [] });
        await out.send(notIdempotent, { n: 1 });
      }),
    ).rejects.toThrow('products.count_once is not idempotent');
    expect(await db.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('queues an idempotent message under its own pattern and module', async () => {
    const { outbox, sent } = recordingOutbox('search', db);
    await outbox.write(async (_manager, out) => {
      await out.send(ProductsMessages.getMany, { ids: [] });
    });
    const [row] = await db.getRepository(OutboxMessage).find();
    expect([row.target, row.pattern, JSON.parse(row.body)]).toEqual([
      'products',
      'products.get_many',
      { ids: [] },
    ]);
    expect(sent.map((s) => s.pattern)).toEqual(['products.get_many']);
  });
});
