import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import type { AuditEventPage, Product, Schema, ValidationErrorBody } from '../support/api-types';
import { eventually } from '../support/platform';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

type Group = Schema<'SynonymGroupResponse'>;
type Results = Schema<'SearchResponse'>;

const SYNONYMS = '/api/search/synonyms';
const UNKNOWN = '00000000-0000-4000-8000-000000000404';

describe.each(BEHAVIOUR_TOPOLOGIES)('search synonyms (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: string;
  /** Letters and digits no seed word has: each test's words are its own. */
  const tag = `zq${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const word = (base: string) => `${base}${tag}`;

  const list = async () => {
    const res = await store.request<Group[]>('search', 'GET', SYNONYMS, { token: employee });
    expect(res.status).toBe(200);
    return res.body;
  };
  const create = async (terms: string[]) => {
    const res = await store.request<Group>('search', 'POST', SYNONYMS, {
      token: employee,
      body: { terms },
    });
    expect([res.status, res.text]).toEqual([201, expect.any(String)]);
    return res.body;
  };
  const search = (q: string) =>
    store.request<Results>('search', 'GET', `/api/search?q=${encodeURIComponent(q)}&limit=100`);

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await login(store, DEMO.customer.username, DEMO.customer.password)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  it('an employee adds, lists, changes and removes a group; a stale version is 409 and changes nothing', async () => {
    const group = await create([word('Aubergine'), word('EGGPLANT')]);
    expect(group).toEqual({
      id: expect.any(String),
      terms: [word('aubergine'), word('eggplant')],
      version: 1,
      updatedAt: expect.any(String),
    });
    expect(await list()).toContainEqual(group);

    const put = (terms: string[], version: number) =>
      store.request<Group>('search', 'PUT', `${SYNONYMS}/${group.id}`, {
        token: employee,
        body: { terms, version },
      });
    const changed = await put([word('aubergine'), word('eggplant'), word('brinjal')], 1);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: group.id,
      terms: [word('aubergine'), word('eggplant'), word('brinjal')],
      version: 2,
    });

    const stale = await put([word('aubergine'), word('melanzana')], 1);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    expect((await list()).find((g) => g.id === group.id)).toEqual(changed.body);

    const removed = await store.request('search', 'DELETE', `${SYNONYMS}/${group.id}`, {
      token: employee,
    });
    expect(removed.status).toBe(204);
    expect((await list()).map((g) => g.id)).not.toContain(group.id);
    const again = await store.request('search', 'DELETE', `${SYNONYMS}/${group.id}`, {
      token: employee,
    });
    expect([again.status, again.body.code]).toEqual([404, 'SYNONYM_GROUP_NOT_FOUND']);
  });

  it('lists the groups by first word', async () => {
    await create([word('zucchini'), word('courgette')]);
    await create([word('beetroot'), word('beet')]);
    const firsts = (await list()).map((g) => g.terms[0]);
    expect(firsts).toEqual([...firsts].sort());
  });

  it('refuses a word already in another group with 409 SYNONYM_TERM_TAKEN naming it', async () => {
    const fries = await create([word('fries'), word('frites')]);
    const res = await store.request('search', 'POST', SYNONYMS, {
      token: employee,
      body: { terms: [word('pommes'), word('Frites')] },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'SYNONYM_TERM_TAKEN',
      message: `"${word('frites')}" is already in another synonym group`,
      details: { field: 'terms', term: word('frites'), groupId: fries.id },
    });
    expect((await list()).flatMap((g) => g.terms)).not.toContain(word('pommes'));
  });

  it('answers 404 for a group that does not exist', async () => {
    const res = await store.request('search', 'PUT', `${SYNONYMS}/${UNKNOWN}`, {
      token: employee,
      body: { terms: [word('soda'), word('pop')], version: 1 },
    });
    expect([res.status, res.body.code]).toEqual([404, 'SYNONYM_GROUP_NOT_FOUND']);
  });

  it('anonymous callers get 401 and customers 403 on every route', async () => {
    const group = await create([word('coriander'), word('cilantro')]);
    const routes = [
      ['GET', SYNONYMS, undefined],
      ['POST', SYNONYMS, { terms: [word('scallion'), word('springonion')] }],
      [
        'PUT',
        `${SYNONYMS}/${group.id}`,
        { terms: [word('coriander'), word('dhania')], version: 1 },
      ],
      ['DELETE', `${SYNONYMS}/${group.id}`, undefined],
    ] as const;
    for (const [method, path, body] of routes) {
      const anonymous = await store.request('search', method, path, { body });
      expect([method, path, anonymous.status]).toEqual([method, path, 401]);
      const asCustomer = await store.request('search', method, path, { token: customer, body });
      expect([method, path, asCustomer.status, asCustomer.body.code]).toEqual([
        method,
        path,
        403,
        'FORBIDDEN',
      ]);
    }
    expect((await list()).find((g) => g.id === group.id)).toEqual(group);
  });

  it('refuses bad bodies with 400 naming the field, and changes nothing', async () => {
    const group = await create([word('prawn'), word('shrimp')]);
    const before = await list();
    const refusals: Array<[string, string, unknown, string]> = [
      ['POST', SYNONYMS, { terms: [word('alone')] }, 'terms'],
      ['POST', SYNONYMS, { terms: [word('crisps'), 'sea salt'] }, 'terms'],
      ['POST', SYNONYMS, { terms: [word('soda'), word('Soda')] }, 'terms'],
      ['POST', SYNONYMS, { terms: 'soda pop' }, 'terms'],
      ['POST', SYNONYMS, { terms: [word('soda'), word('pop')], weight: 2 }, 'weight'],
      ['PUT', `${SYNONYMS}/${group.id}`, { terms: [word('prawn'), word('gamba')] }, 'version'],
      ['PUT', `${SYNONYMS}/${group.id}`, { terms: [word('prawn')], version: 1 }, 'terms'],
      [
        'PUT',
        `${SYNONYMS}/not-a-uuid`,
        { terms: [word('prawn'), word('gamba')], version: 1 },
        'id',
      ],
      ['DELETE', `${SYNONYMS}/not-a-uuid`, undefined, 'id'],
    ];
    for (const [method, path, body, field] of refusals) {
      const res = await store.request<ValidationErrorBody>('search', method, path, {
        token: employee,
        body,
      });
      expect({ method, body, status: res.status, code: res.body.code }).toEqual({
        method,
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect({ body, fields: res.body.details?.fields.map((f) => f.field) }).toEqual({
        body,
        fields: [field],
      });
    }
    const twoWords = await store.request<ValidationErrorBody>('search', 'POST', SYNONYMS, {
      token: employee,
      body: { terms: [word('crisps'), 'sea salt'] },
    });
    expect(twoWords.body.message).toContain('"sea salt"');
    expect(await list()).toEqual(before);
  });

  it('records every change in the audit log', async () => {
    const group = await create([word('rocket'), word('arugula')]);
    const events = await eventually(async () => {
      const res = await store.request<AuditEventPage>(
        'logging',
        'GET',
        '/api/logs?type=search_synonyms_changed&order=desc&limit=100',
        { token: employee },
      );
      expect(res.status).toBe(200);
      const mine = res.body.items.filter((event) => event.subject.id === group.id);
      return mine.length > 0 && mine;
    }, 'the synonym event in the log');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'search_synonyms_changed',
        actor: expect.objectContaining({ username: DEMO.employee.username }),
        subject: expect.objectContaining({ kind: 'search', id: group.id }),
        payload: { action: 'created', terms: group.terms },
      }),
    ]);
  });

  it('a search for one word of a group finds products named with another, until the group is removed', async () => {
    const name = `Sea Salt Crisps ${tag}`;
    const made = await store.request<Product>('products', 'POST', '/api/products', {
      token: employee,
      body: { name, category: 'snacks', priceCents: 199, stock: 12 },
    });
    expect(made.status).toBe(201);
    const names = async (q: string) => {
      const res = await search(q);
      expect(res.status).toBe(200);
      return res.body.items.map((hit) => hit.name);
    };
    expect(await names('crisps')).toContain(name);
    expect(await names('chips')).not.toContain(name);

    const group = await create(['crisps', 'chips']);
    expect(await names('chips')).toContain(name);
    expect(await names(`chips ${tag}`)).toEqual([name]);

    const removed = await store.request('search', 'DELETE', `${SYNONYMS}/${group.id}`, {
      token: employee,
    });
    expect(removed.status).toBe(204);
    expect(await names('chips')).not.toContain(name);
    expect(await names('crisps')).toContain(name);
  });
});
