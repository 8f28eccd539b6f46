import { DataSource } from 'typeorm';
import { LoggingMessages, type AuditEventInput } from '@mfm/contracts/logging.contract';
import { BATCH_PATTERNS } from '@mfm/contracts/outbox-batches';
import type { Outbox } from '@mfm/contracts/outbox';
import { type SentMessage, recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import { refusal } from '@mfm/platform/testing/refusal';
import { testDatabase } from '@mfm/platform/testing/test-database';
import { createValidationPipe } from '@mfm/platform/validation/validation.pipe';
import { SEARCH_ENTITIES, SEARCH_MIGRATIONS } from '../search-schema';
import { CreateSynonymGroupDto, UpdateSynonymGroupDto } from './dto/synonym-group.dto';
import { SynonymsService } from './synonyms.service';

const manager = { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' };
const UNKNOWN = '00000000-0000-4000-8000-000000000404';

/** A body as the HTTP layer validates it (the application's validation pipe). */
const validated = (metatype: new () => object, body: unknown) =>
  createValidationPipe().transform(body, { type: 'body', metatype }) as Promise<unknown>;

describe('SynonymsService (real SQLite, in memory)', () => {
  let db: DataSource;
  let outbox: Outbox;
  let sent: SentMessage[];
  let synonyms: SynonymsService;

  beforeEach(async () => {
    db = await testDatabase(SEARCH_ENTITIES, SEARCH_MIGRATIONS);
    ({ outbox, sent } = recordingOutbox('search', db));
    synonyms = new SynonymsService(db, outbox);
    await synonyms.onModuleInit();
  });

  afterEach(async () => {
    await outbox.onApplicationShutdown();
    await db.destroy();
  });

  const sharedVersion = async () =>
    Number(
      (await db.query<Array<{ version: number }>>('SELECT "version" FROM search_index_state'))[0]
        .version,
    );
  const rows = () =>
    db.query<Array<{ terms: string; version: number }>>('SELECT * FROM search_synonym');
  /** The audit events sent to the log, one by one or in batches. */
  const audits = () =>
    sent.flatMap((m): AuditEventInput[] => {
      if (m.pattern === LoggingMessages.recordSearch.pattern) return [m.payload as AuditEventInput];
      if (m.pattern === BATCH_PATTERNS[LoggingMessages.recordSearch.pattern])
        return (m.payload as { items: AuditEventInput[] }).items;
      return [];
    });

  it('starts with no groups and expands nothing', () => {
    expect(synonyms.list()).toEqual([]);
    expect(synonyms.expand('chips')).toEqual([]);
    expect(synonyms.generation).toBe(0);
  });

  it('stores a new group folded, expands each word to the others at once, and bumps the shared version', async () => {
    const before = await sharedVersion();
    const group = await synonyms.create(['Crisps', 'CHIPS'], manager);
    expect(group).toEqual({
      id: expect.any(String),
      terms: ['crisps', 'chips'],
      version: 1,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(synonyms.expand('chips')).toEqual(['crisps']);
    expect(synonyms.expand('crisps')).toEqual(['chips']);
    expect(synonyms.list()).toEqual([group]);
    expect(synonyms.generation).toBe(1);
    expect(await sharedVersion()).toBe(before + 1);
    expect(await rows()).toEqual([
      expect.objectContaining({ terms: '["crisps","chips"]', version: 1 }),
    ]);
  });

  it('lists groups by first word', async () => {
    await synonyms.create(['zucchini', 'courgette'], manager);
    await synonyms.create(['aubergine', 'eggplant'], manager);
    expect(synonyms.list().map((g) => g.terms[0])).toEqual(['aubergine', 'zucchini']);
  });

  it('records each change in the audit log as a search event, with what the group holds', async () => {
    const group = await synonyms.create(['crisps', 'chips'], manager);
    const updated = await synonyms.update(group.id, ['crisps', 'chips', 'Crème'], 1, manager);
    await synonyms.remove(group.id, manager);
    expect(audits()).toEqual([
      expect.objectContaining({
        type: 'search_synonyms_changed',
        actor: manager,
        subject: { kind: 'search', id: group.id, name: 'crisps, chips' },
        payload: { action: 'created', terms: ['crisps', 'chips'] },
      }),
      expect.objectContaining({
        subject: { kind: 'search', id: group.id, name: 'crisps, chips, creme' },
        payload: {
          action: 'updated',
          terms: updated.terms,
          previousTerms: ['crisps', 'chips'],
        },
      }),
      expect.objectContaining({
        payload: { action: 'removed', terms: ['crisps', 'chips', 'creme'] },
      }),
    ]);
  });

  it('updates from the version the caller saw; a stale version is 409 VERSION_CONFLICT and changes nothing', async () => {
    const group = await synonyms.create(['crisps', 'chips'], manager);
    const updated = await synonyms.update(group.id, ['crisps', 'potatochips'], 1, manager);
    expect(updated).toMatchObject({ id: group.id, terms: ['crisps', 'potatochips'], version: 2 });
    expect(synonyms.expand('chips')).toEqual([]);
    expect(synonyms.expand('crisps')).toEqual(['potatochips']);

    const stale = await refusal(synonyms.update(group.id, ['crisps', 'chips'], 1, manager));
    expect(stale).toMatchObject({
      status: 409,
      code: 'VERSION_CONFLICT',
      message: 'The synonym group changed since version 1; it is now at version 2',
      details: { currentVersion: 2 },
    });
    expect(synonyms.list()).toEqual([updated]);
    expect(await rows()).toEqual([expect.objectContaining({ version: 2 })]);
  });

  it('leaves a group unchanged, version included, when its words are the same', async () => {
    const group = await synonyms.create(['crisps', 'chips'], manager);
    expect(await synonyms.update(group.id, ['Crisps', 'chips'], 1, manager)).toEqual(group);
    expect(synonyms.generation).toBe(1);
    expect(audits()).toHaveLength(1);
  });

  it('refuses a word another group has with 409 SYNONYM_TERM_TAKEN naming it, and writes nothing', async () => {
    const crisps = await synonyms.create(['crisps', 'chips'], manager);
    const fries = await synonyms.create(['fries', 'frites'], manager);
    const versionBefore = await sharedVersion();
    const taken = await refusal(synonyms.create(['Chips', 'fries'], manager));
    expect(taken).toEqual({
      status: 409,
      statusCode: 409,
      error: 'Conflict',
      code: 'SYNONYM_TERM_TAKEN',
      message: '"chips" is already in another synonym group',
      details: { field: 'terms', term: 'chips', groupId: crisps.id },
    });
    const moved = await refusal(synonyms.update(fries.id, ['fries', 'chips'], 1, manager));
    expect(moved.code).toBe('SYNONYM_TERM_TAKEN');
    // A group may keep its own words.
    await synonyms.update(crisps.id, ['chips', 'crisps', 'potatochips'], 1, manager);
    expect(await sharedVersion()).toBe(versionBefore + 1);
    expect((await rows()).length).toBe(2);
  });

  it('answers 404 SYNONYM_GROUP_NOT_FOUND for an unknown group', async () => {
    for (const call of [
      synonyms.update(UNKNOWN, ['crisps', 'chips'], 1, manager),
      synonyms.remove(UNKNOWN, manager),
    ])
      expect(await refusal(call)).toMatchObject({
        status: 404,
        code: 'SYNONYM_GROUP_NOT_FOUND',
        message: `No synonym group with id ${UNKNOWN}`,
      });
  });

  it('removes a group: its words expand to nothing from then on', async () => {
    const group = await synonyms.create(['aubergine', 'eggplant'], manager);
    await synonyms.remove(group.id, manager);
    expect(synonyms.expand('eggplant')).toEqual([]);
    expect(synonyms.list()).toEqual([]);
    expect(await rows()).toEqual([]);
    expect(synonyms.generation).toBe(2);
  });

  it('refuses bad words itself with 400 VALIDATION_FAILED naming terms, before writing anything', async () => {
    const versionBefore = await sharedVersion();
    for (const terms of [['crisps'], ['crisps', 'sea salt'], ['chips', 'Chips']]) {
      const bad = await refusal(synonyms.create(terms, manager));
      expect(bad).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'terms', messages: [expect.any(String)] }] },
      });
    }
    expect(await sharedVersion()).toBe(versionBefore);
    expect(await rows()).toEqual([]);
  });

  it('reloads what another replica changed; a reload that finds nothing new changes nothing', async () => {
    const other = new SynonymsService(db, outbox);
    await other.onModuleInit();
    await synonyms.create(['courgette', 'zucchini'], manager);
    expect(other.expand('zucchini')).toEqual([]);
    await other.reload();
    expect(other.expand('zucchini')).toEqual(['courgette']);
    expect(other.generation).toBe(1);
    await other.reload();
    expect(other.generation).toBe(1);
  });

  describe('the request bodies, as the HTTP layer validates them', () => {
    const fieldsOf = async (metatype: new () => object, body: unknown) =>
      (await refusal(validated(metatype, body))).details?.fields;

    it('takes two to twenty words', async () => {
      await expect(
        validated(CreateSynonymGroupDto, { terms: ['crisps', 'chips'] }),
      ).resolves.toEqual({ terms: ['crisps', 'chips'] });
      expect(await fieldsOf(CreateSynonymGroupDto, { terms: ['crisps'] })).toEqual([
        { field: 'terms', messages: ['terms must name at least 2 words'] },
      ]);
      const many = Array.from({ length: 21 }, (_, i) => `word${i}`);
      expect(await fieldsOf(CreateSynonymGroupDto, { terms: many })).toEqual([
        { field: 'terms', messages: ['terms must name at most 20 words'] },
      ]);
    });

    it('names the word at fault: two words, punctuation, a word twice', async () => {
      expect(await fieldsOf(CreateSynonymGroupDto, { terms: ['crisps', 'sea salt'] })).toEqual([
        {
          field: 'terms',
          messages: ['terms must each be one word of letters or digits, not "sea salt"'],
        },
      ]);
      expect(await fieldsOf(CreateSynonymGroupDto, { terms: ['chips', 'CHIPS'] })).toEqual([
        { field: 'terms', messages: ['terms must not name the same word twice: "chips"'] },
      ]);
    });

    it('refuses what is not a list of words, and unknown fields', async () => {
      expect(await fieldsOf(CreateSynonymGroupDto, { terms: 'crisps chips' })).toEqual([
        { field: 'terms', messages: ['terms must be an array'] },
      ]);
      expect(await fieldsOf(CreateSynonymGroupDto, { terms: ['crisps', 7] })).toEqual([
        { field: 'terms', messages: ['each value in terms must be a string'] },
      ]);
      expect(await fieldsOf(CreateSynonymGroupDto, {})).toEqual([
        { field: 'terms', messages: expect.arrayContaining(['terms must be an array']) },
      ]);
      expect(
        await fieldsOf(CreateSynonymGroupDto, { terms: ['crisps', 'chips'], weight: 2 }),
      ).toEqual([{ field: 'weight', messages: ['property weight should not exist'] }]);
    });

    it('needs the version on an update', async () => {
      expect(await fieldsOf(UpdateSynonymGroupDto, { terms: ['crisps', 'chips'] })).toEqual([
        {
          field: 'version',
          messages: expect.arrayContaining(['version must be an integer number']),
        },
      ]);
      await expect(
        validated(UpdateSynonymGroupDto, { terms: ['crisps', 'chips'], version: 3 }),
      ).resolves.toEqual({ terms: ['crisps', 'chips'], version: 3 });
    });
  });
});
