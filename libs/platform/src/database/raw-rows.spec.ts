import { Column, DataSource, Entity, PrimaryColumn, Repository } from 'typeorm';
import { RawParams, findOneRaw, hydrate, selectColumns, updateRaw } from './raw-rows';

@Entity('probe')
class Probe {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column({ type: Date })
  at!: Date;

  @Column('boolean')
  flag!: boolean;

  @Column('simple-json', { nullable: true })
  payload!: Record<string, unknown> | null;

  @Column('integer', { default: 0 })
  count!: number;
}

describe('raw rows', () => {
  let source: DataSource;
  let repo: Repository<Probe>;
  const statements: string[] = [];
  const at = new Date('2026-03-04T05:06:07.089Z');

  beforeAll(async () => {
    source = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Probe],
      synchronize: true,
      logger: {
        logQuery: (query: string) => void statements.push(query),
        logQueryError: () => undefined,
        logQuerySlow: () => undefined,
        logSchemaBuild: () => undefined,
        logMigration: () => undefined,
        log: () => undefined,
      },
    });
    await source.initialize();
    repo = source.getRepository(Probe);
    await repo.insert([
      { id: 'a', at, flag: true, payload: { n: 1 } },
      { id: 'b', at: new Date(at.getTime() + 1000), flag: false, payload: null },
    ]);
  });
  afterAll(() => source.destroy());

  it('hydrates a raw row as TypeORM reads an entity: dates, booleans and JSON converted', async () => {
    const [row] = await repo.query<Array<Record<string, unknown>>>(
      `SELECT ${selectColumns(repo)} FROM "probe" WHERE "id" = 'a'`,
    );
    expect(typeof row.at).toBe('string');
    const probe = hydrate(repo, row);
    expect(probe).toBeInstanceOf(Probe);
    expect(probe).toEqual({ id: 'a', at, flag: true, payload: { n: 1 }, count: 0 });
    expect(probe).toEqual(await repo.findOneBy({ id: 'a' }));
  });

  it('compares a date parameter as the column stores it', async () => {
    const params = new RawParams(repo);
    const condition = `"at" > ${params.column('at', at)}`;
    const later = await findOneRaw(repo, condition, params.values);
    expect(later?.id).toBe('b');
    expect(later?.flag).toBe(false);
    expect(later?.payload).toBeNull();
  });

  it('answers null when no row matches, and refuses a property the entity lacks', async () => {
    const params = new RawParams(repo);
    expect(await findOneRaw(repo, `"id" = ${params.add('zz')}`, params.values)).toBeNull();
    expect(() => params.column('nope', 1)).toThrow('Probe has no column nope');
  });

  it('a cloned parameter list grows on its own', () => {
    const params = new RawParams(repo);
    params.add(1);
    const page = params.clone();
    expect(page.add(2)).toBe('?');
    expect(params.values).toEqual([1]);
    expect(page.values).toEqual([1, 2]);
  });

  it('updates with bound values: one statement text whatever the values, stored as TypeORM stores them', async () => {
    statements.length = 0;
    const later = new Date(at.getTime() + 5000);
    expect(await updateRaw(source.manager, Probe, { count: 7, at: later }, { id: 'a' })).toBe(1);
    expect(
      await updateRaw(source.manager, Probe, { count: 8, flag: false }, { id: 'a', flag: true }),
    ).toBe(1);
    expect(
      await updateRaw(source.manager, Probe, { count: 9, flag: false }, { id: 'b', flag: true }),
    ).toBe(0);
    expect(
      await updateRaw(source.manager, Probe, { count: 1234, flag: true }, { id: 'b', flag: false }),
    ).toBe(1);
    const updates = statements.splice(0);
    expect(updates.slice(1)).toEqual([updates[1], updates[1], updates[1]]);
    expect(updates[1]).not.toMatch(/\d/);
    expect(await repo.findOneBy({ id: 'a' })).toMatchObject({ count: 8, at: later, flag: false });
    expect(await repo.findOneBy({ id: 'b' })).toMatchObject({ count: 1234, flag: true });
    expect(() =>
      updateRaw(source.manager, Probe, { nope: 1 } as Partial<Probe>, { id: 'a' }),
    ).toThrow('Probe has no column nope');
  });
});
