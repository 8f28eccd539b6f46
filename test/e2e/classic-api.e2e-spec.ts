import { createHash, createHmac } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import { freePorts } from '../support/free-port';
import { runEntrypoint } from '../support/launcher';
import { eventually } from '../support/platform';
import { BEHAVIOUR_TOPOLOGIES, Store, TOPOLOGIES } from '../support/store';

/** The classic API profile: the original five Flask services' HTTP API on five extra ports. */
type Service = 'users' | 'products' | 'search' | 'orders' | 'logging';
const SERVICES: Service[] = ['users', 'products', 'search', 'orders', 'logging'];
const CLASSIC_KEY = 'QZkRdigqi2iRe0DcfUnYYML7eZx2yKbC';

/** The token of the original services, built here independently of the application's codec. */
function classicToken(username: string): string {
  const b64 = (text: string) =>
    Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  const input = `${b64('{"alg": "HS256", "typ": "JWT"}')}.${b64(`{"username": "${username}"}`)}`;
  return `${input}.${createHmac('sha256', CLASSIC_KEY).update(input).digest('hex')}`;
}

interface Classic {
  httpStatus: number;
  body: Record<string, any>;
}

type ClassicPorts = Record<Service, number>;

/** Five free ports, one classic port per service, and the environment that sets them. */
async function classicPorts(): Promise<{ ports: ClassicPorts; env: Record<string, string> }> {
  const free = await freePorts(SERVICES.length);
  const ports = Object.fromEntries(SERVICES.map((s, i) => [s, free[i]])) as ClassicPorts;
  const env = Object.fromEntries(
    SERVICES.map((s) => [`CLASSIC_${s.toUpperCase()}_PORT`, String(ports[s])]),
  );
  return { ports, env };
}

/** One request as the course's clients send it: a form, and the bare token as Authorization. */
async function callClassic(
  ports: ClassicPorts,
  service: Service,
  method: 'GET' | 'POST',
  path: string,
  fields: Record<string, string> = {},
  token?: string,
): Promise<Classic> {
  const form = new URLSearchParams(fields).toString();
  const url = `http://127.0.0.1:${ports[service]}${path}${method === 'GET' && form ? `?${form}` : ''}`;
  const res = await fetch(url, {
    method,
    headers: {
      ...(token !== undefined && { authorization: token }),
      ...(method === 'POST' && { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body: method === 'POST' ? form : undefined,
  });
  return { httpStatus: res.status, body: (await res.json()) as Record<string, any> };
}

type ClassicArgs =
  Parameters<typeof callClassic> extends [ClassicPorts, ...infer Rest] ? Rest : never;

type Fields = Record<string, string>;

/** The classic endpoints the suites call again and again, over one way of sending a request. */
function classicEndpoints<T>(send: (...args: ClassicArgs) => Promise<T>) {
  return {
    createUser: (fields: Fields, token?: string) =>
      send('users', 'POST', '/create_user', fields, token),
    signIn: (fields: Fields) => send('users', 'POST', '/login', fields),
    createProduct: (fields: Fields, token?: string) =>
      send('products', 'POST', '/create_product', fields, token),
    search: (query: Fields, token?: string) => send('search', 'GET', '/search', query, token),
    viewLog: (query: Fields, token?: string) => send('logging', 'GET', '/view_log', query, token),
  };
}

describe.each(TOPOLOGIES)('classic API profile (%s)', (topology) => {
  let store: Store;
  let ports: Record<Service, number>;
  let annToken: string;
  let bobToken: string;

  const call = (...args: ClassicArgs) => callClassic(ports, ...args);
  /** Every classic answer is HTTP 200; the outcome is in the body. */
  const classic = async (...args: Parameters<typeof call>) => {
    const res = await call(...args);
    expect(res.httpStatus).toBe(200);
    return res.body;
  };
  const { createUser, signIn, createProduct, search, viewLog } = classicEndpoints(classic);

  const newUser = (username: string, extra: Record<string, string> = {}) => ({
    first_name: 'Classic',
    last_name: 'Client',
    username,
    email_address: `${username}@example.com`,
    password: `Garden-Fresh-${username.length}7`,
    salt: 'pepper',
    employee: 'False',
    ...extra,
  });

  beforeAll(async () => {
    const { ports: chosen, env: portsEnv } = await classicPorts();
    ports = chosen;
    store = await Store.start(topology, {
      env: {
        CLASSIC_API: '1',
        ...portsEnv,
      },
    });
  });

  afterAll(async () => {
    await store?.close();
  });

  it('starts every service from empty with GET /clear', async () => {
    for (const service of SERVICES) {
      expect(await classic(service, 'GET', '/clear')).toEqual({ status: 1 });
    }
    // The demo accounts were in the users database: cleared too.
    expect(await signIn(DEMO.customer)).toEqual({
      status: 2,
      jwt: 'NULL',
    });
  });

  it('creates two users (one employee) and refuses taken names, taken emails and weak passwords', async () => {
    const ann = newUser('ann', { employee: 'True' });
    expect(await createUser(ann)).toEqual({
      status: 1,
      pass_hash: createHash('sha256').update(`${ann.password}pepper`).digest('hex'),
    });
    const bob = newUser('bob');
    const created = await createUser(bob);
    expect(created.status).toBe(1);
    expect(created.pass_hash).toMatch(/^[0-9a-f]{64}$/);

    expect(await createUser(newUser('bob', { email_address: 'b2@x.io' }))).toEqual({
      status: 2,
      pass_hash: 'NULL',
    });
    expect(await createUser(newUser('carol', { email_address: 'ann@example.com' }))).toEqual({
      status: 3,
      pass_hash: 'NULL',
    });
    // The modern rule: 8+ characters with a lowercase, an uppercase letter and a digit.
    expect(await createUser(newUser('dave', { password: 'password' }))).toEqual({
      status: 4,
      pass_hash: 'NULL',
    });
    expect(await createUser(newUser('erin', { password: 'Erin-Is-erin-9' }))).toEqual({
      status: 4,
      pass_hash: 'NULL',
    });
  });

  it('logs in with the exact classic token, and refuses wrong credentials', async () => {
    const ann = await signIn({
      username: 'ann',
      password: newUser('ann').password,
    });
    expect(ann).toEqual({ status: 1, jwt: classicToken('ann') });
    annToken = ann.jwt as string;
    // Padding kept: {"username": "bob"} is 19 bytes, so its base64 ends with "=".
    bobToken = (
      await signIn({
        username: 'bob',
        password: newUser('bob').password,
      })
    ).jwt;
    expect(bobToken).toBe(classicToken('bob'));
    expect(bobToken.split('.')[1]).toMatch(/=$/);

    expect(await signIn({ username: 'bob', password: 'Wrong-Pass-1' })).toEqual({
      status: 2,
      jwt: 'NULL',
    });
    expect(await signIn({ username: 'nobody', password: 'Wrong-Pass-1' })).toEqual({
      status: 2,
      jwt: 'NULL',
    });
  });

  it('lets the employee create and edit products, and refuses the others', async () => {
    const create = createProduct;
    expect(await create({ name: 'milk', price: '3.99', category: 'dairy' }, annToken)).toEqual({
      status: 1,
    });
    expect(await create({ name: 'bread', price: '2.50', category: 'bakery' }, annToken)).toEqual({
      status: 1,
    });
    expect(await create({ name: 'cheese', price: '5', category: 'dairy' }, annToken)).toEqual({
      status: 1,
    });
    // Not an employee, no token, a forged token, one letter's case changed in the signature.
    expect(await create({ name: 'jam', price: '1.00', category: 'pantry' }, bobToken)).toEqual({
      status: 2,
    });
    expect(await create({ name: 'jam', price: '1.00', category: 'pantry' })).toEqual({ status: 2 });
    expect(
      await create(
        { name: 'jam', price: '1.00', category: 'pantry' },
        classicToken('ann').slice(0, -1) + 'x',
      ),
    ).toEqual({ status: 2 });
    const sig = annToken.split('.')[2];
    const letter = sig.search(/[a-f]/);
    const flipped = `${annToken.slice(0, annToken.length - 64)}${sig.slice(0, letter)}${sig[letter].toUpperCase()}${sig.slice(letter + 1)}`;
    expect(flipped).not.toBe(annToken);
    expect(await create({ name: 'jam', price: '1.00', category: 'pantry' }, flipped)).toEqual({
      status: 2,
    });
    expect(
      await create({ name: 'jam', price: '1.00', category: 'pantry' }, `Bearer ${annToken}`),
    ).toEqual({ status: 2 });

    const edit = (fields: Record<string, string>, token?: string) =>
      classic('products', 'POST', '/edit_product', fields, token);
    expect(await edit({ name: 'milk', new_price: '6.00' }, annToken)).toEqual({ status: 1 });
    expect(await edit({ name: 'bread', new_category: 'grains' }, annToken)).toEqual({ status: 1 });
    expect(await edit({ name: 'milk', new_price: '1.00' }, 'not-a-token')).toEqual({ status: 2 });
    expect(await edit({ name: 'milk', new_price: '1.00' })).toEqual({ status: 2 });
    expect(await edit({ name: 'milk', new_price: '1.00' }, bobToken)).toEqual({ status: 3 });

    // The same catalogue as the modern API, prices in cents, "unlimited" (maximum) stock.
    const listed = await store.request('products', 'GET', '/api/products?limit=100');
    const milk = (listed.body.items as Array<Record<string, unknown>>).find(
      (p) => p.name === 'milk',
    );
    expect(milk).toMatchObject({ priceCents: 600, category: 'dairy', stock: 1_000_000 });
  });

  it('searches by name and by category, with last_mod, and answers 2 and 3', async () => {
    // last_mod comes from the audit log, which the products' outbox fills after the answers
    // above: waited for by reading the products' logs (which records nothing), not by searching
    // again (which would record more searches).
    const logged = async (product: string, event: string) =>
      Object.values(
        ((await viewLog({ product }, annToken)).data ?? {}) as Record<string, { event: string }>,
      ).some((entry) => entry.event === event);
    await eventually(
      async () =>
        (await logged('milk', 'product_edit')) &&
        (await logged('bread', 'product_edit')) &&
        (await logged('cheese', 'product_creation')),
      'the product events in the audit log',
      30_000,
    );
    expect(await search({ product_name: 'milk' }, bobToken)).toEqual({
      status: 1,
      data: [{ product_name: 'milk', price: 6, category: 'dairy', last_mod: 'ann' }],
    });
    expect(await search({ category: 'dairy' }, bobToken)).toEqual({
      status: 1,
      data: [
        { product_name: 'cheese', price: 5, category: 'dairy', last_mod: 'ann' },
        { product_name: 'milk', price: 6, category: 'dairy', last_mod: 'ann' },
      ],
    });
    expect(await search({ category: 'grains' }, annToken)).toEqual({
      status: 1,
      data: [{ product_name: 'bread', price: 2.5, category: 'grains', last_mod: 'ann' }],
    });
    expect(await search({ product_name: 'milk' }, 'bad')).toEqual({
      status: 2,
      data: 'NULL',
    });
    expect(await search({ product_name: 'caviar' }, bobToken)).toEqual({
      status: 3,
      data: 'NULL',
    });
    expect(await search({ category: 'bakery' }, bobToken)).toEqual({
      status: 3,
      data: 'NULL',
    });
  });

  it('prices single and multi-line orders exactly, and answers 2 and 3', async () => {
    const order = (lines: unknown, token?: string) =>
      classic('orders', 'POST', '/order', { order: JSON.stringify(lines) }, token);
    expect(await order([{ product: 'milk', quantity: 3 }], bobToken)).toEqual({
      status: 1,
      cost: '18.00',
    });
    expect(
      await order(
        [
          { product: 'bread', quantity: 3 },
          { product: 'cheese', quantity: 1 },
          { product: 'milk', quantity: 2 },
        ],
        bobToken,
      ),
    ).toEqual({ status: 1, cost: '24.50' });
    expect(await order([{ product: 'milk', quantity: 1 }], 'bad')).toEqual({
      status: 2,
      cost: 'NULL',
    });
    expect(
      await order(
        [
          { product: 'milk', quantity: 1 },
          { product: 'caviar', quantity: 1 },
        ],
        bobToken,
      ),
    ).toEqual({ status: 3, cost: 'NULL' });
  });

  it('shows modern-API events under classic names too', async () => {
    // The demo employee was cleared: a modern employee account, created by the classic API.
    expect((await createUser(newUser('maria', { employee: 'True' }))).status).toBe(1);
    const maria = await login(store, 'maria', newUser('maria').password);
    const created = await store.request('products', 'POST', '/api/products', {
      token: maria.accessToken,
      body: { name: 'butter', category: 'dairy', priceCents: 249, stock: 5 },
    });
    expect(created.status).toBe(201);
    const patched = await store.request('products', 'PATCH', `/api/products/${created.body.id}`, {
      token: maria.accessToken,
      body: { priceCents: 299 },
    });
    expect(patched.status).toBe(200);
    expect(await search({ product_name: 'Butter' }, bobToken)).toEqual({
      status: 1,
      data: [{ product_name: 'butter', price: 2.99, category: 'dairy', last_mod: 'maria' }],
    });
    expect(await viewLog({ product: 'butter' }, annToken)).toEqual({
      status: 1,
      data: {
        '1': { event: 'product_creation', user: 'maria', name: 'butter' },
        '2': { event: 'product_edit', user: 'maria', name: 'butter' },
        '3': { event: 'search', user: 'bob', name: 'Butter' },
      },
    });
  });

  it("shows a user's log and a product's log, and answers 2 and 3", async () => {
    expect(await viewLog({ username: 'bob' }, bobToken)).toEqual({
      status: 1,
      data: {
        '1': { event: 'user_creation', user: 'bob', name: 'NULL' },
        '2': { event: 'login', user: 'bob', name: 'NULL' },
        '3': { event: 'search', user: 'bob', name: 'milk' },
        '4': { event: 'search', user: 'bob', name: 'dairy' },
        '5': { event: 'order', user: 'bob', name: 'NULL' },
        '6': { event: 'order', user: 'bob', name: 'NULL' },
        '7': { event: 'search', user: 'bob', name: 'Butter' },
      },
    });
    expect(await viewLog({ product: 'milk' }, annToken)).toEqual({
      status: 1,
      data: {
        '1': { event: 'product_creation', user: 'ann', name: 'milk' },
        '2': { event: 'product_edit', user: 'ann', name: 'milk' },
        '3': { event: 'search', user: 'bob', name: 'milk' },
      },
    });
    expect(await viewLog({ username: 'bob' }, 'bad')).toEqual({
      status: 2,
      data: 'NULL',
    });
    expect(await viewLog({ username: 'ann' }, bobToken)).toEqual({
      status: 3,
      data: 'NULL',
    });
    expect(await viewLog({ product: 'milk' }, bobToken)).toEqual({
      status: 3,
      data: 'NULL',
    });
  });

  it('reads the employee status from the users database at every check', async () => {
    const create = () =>
      createProduct({ name: 'jam', price: '1.20', category: 'pantry' }, bobToken);
    expect(await create()).toEqual({ status: 2 });
    const maria = await login(store, 'maria', newUser('maria').password);
    const users = await store.request('users', 'GET', '/api/users?limit=100', {
      token: maria.accessToken,
    });
    const bob = (users.body.items as Array<{ id: string; username: string }>).find(
      (u) => u.username === 'bob',
    );
    const promoted = await store.request('users', 'PATCH', `/api/users/${bob?.id}`, {
      token: maria.accessToken,
      body: { role: 'employee' },
    });
    expect(promoted.status).toBe(200);
    // The same token, unchanged: bob is an employee now.
    expect(await create()).toEqual({ status: 1 });
    const disabled = await store.request('users', 'PATCH', `/api/users/${bob?.id}`, {
      token: maria.accessToken,
      body: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    expect(await search({ product_name: 'jam' }, bobToken)).toEqual({
      status: 2,
      data: 'NULL',
    });
  });

  it('answers a throttled login with status 2, even with the right password (the modern API says why: 429)', async () => {
    const tess = newUser('tess');
    expect((await createUser(tess)).status).toBe(1);
    // The default: 5 failures for one username within 15 minutes.
    for (let i = 0; i < 5; i++)
      expect(await signIn({ username: 'tess', password: `Wrong-${i}` })).toEqual({
        status: 2,
        jwt: 'NULL',
      });
    expect(await signIn({ username: 'tess', password: tess.password })).toEqual({
      status: 2,
      jwt: 'NULL',
    });
    const modern = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: 'tess', password: tess.password },
    });
    expect(modern.status).toBe(429);
    expect(modern.body).toMatchObject({
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      details: { scope: 'account' },
    });
  });

  it("clears each module's own data only", async () => {
    expect(await classic('logging', 'GET', '/clear')).toEqual({ status: 1 });
    expect(await viewLog({ username: 'ann' }, annToken)).toEqual({
      status: 1,
      data: {},
    });
    const maria = await login(store, 'maria', newUser('maria').password);
    const orders = () =>
      store.request('orders', 'GET', '/api/orders', { token: maria.accessToken });
    expect((await orders()).body.total).toBe(2);
    expect(await classic('orders', 'GET', '/clear')).toEqual({ status: 1 });
    expect((await orders()).body.total).toBe(0);

    expect(await classic('products', 'GET', '/clear')).toEqual({ status: 1 });
    const listed = await store.request('products', 'GET', '/api/products');
    expect(listed.body.total).toBe(0);
    // The search index is the search module's own data: it still answers until it is cleared.
    expect((await search({ product_name: 'bread' }, annToken)).status).toBe(1);
    expect(await classic('search', 'GET', '/clear')).toEqual({ status: 1 });
    expect(await search({ product_name: 'bread' }, annToken)).toEqual({
      status: 3,
      data: 'NULL',
    });

    expect(await classic('users', 'GET', '/clear')).toEqual({ status: 1 });
    expect(await search({ category: 'dairy' }, annToken)).toEqual({
      status: 2,
      data: 'NULL',
    });
    expect(
      await signIn({
        username: 'ann',
        password: newUser('ann').password,
      }),
    ).toEqual({
      status: 2,
      jwt: 'NULL',
    });
  });

  it('turns the profile on with --classic, and refuses a classic port that collides', async () => {
    const args = topology === 'single' ? ['--classic'] : ['--service', 'orders', '--classic'];
    const { code, output } = await runEntrypoint(args, {
      NODE_ENV: 'test',
      DATA_DIR: '/nonexistent-classic-check',
      ORDERS_HTTP_PORT: '9003',
      HTTP_PORT: '9003',
    });
    expect(code).toBe(2);
    expect(output).toContain('CLASSIC_ORDERS_PORT=9003: the same port as');
    expect(output).not.toMatch(/is ready at/);
  });

  it('serves /clear only on the classic ports, and no classic port without the profile', async () => {
    // The modern port has no /clear: a GET there is a page of the web app, and clears nothing.
    const keeper = {
      firstName: 'Kim',
      lastName: 'Keeper',
      username: 'keeper',
      email: 'keeper@example.com',
      password: 'Stays-Here-42',
    };
    expect(
      (await store.request('users', 'POST', '/api/auth/register', { body: keeper })).status,
    ).toBe(201);
    const modern = await store.request('users', 'GET', '/clear');
    expect(modern.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(modern.text).toContain('<div id="root"></div>');
    expect((await login(store, keeper.username, keeper.password)).user.username).toBe('keeper');
    const label = topology === 'single' ? 'all' : 'users';
    await store.restart(label, { CLASSIC_API: '' });
    await expect(fetch(`http://127.0.0.1:${ports.users}/clear`)).rejects.toThrow();
    expect((await store.request('users', 'GET', '/health')).status).toBe(200);
  });
});

// Production's rules for the profile are each process's own configuration (no /clear, who may
// hire), checked where the request lands: one topology. The protocol across processes is above.
describe.each(BEHAVIOUR_TOPOLOGIES)('classic API profile in production (%s)', (topology) => {
  const KEY = 'a-production-classic-key-0123456789';
  const OWNER = {
    username: 'owner',
    password: 'Fresh-Basket-Keeper-2026',
    email: 'owner@shop.example',
  };
  let store: Store;
  let ports: Record<Service, number>;

  const classic = (...args: ClassicArgs) => callClassic(ports, ...args);
  const { createUser, signIn, createProduct } = classicEndpoints(classic);
  const newUser = (username: string, employee: 'True' | 'False') => ({
    first_name: 'Prod',
    last_name: 'Client',
    username,
    email_address: `${username}@example.com`,
    password: 'Garden-Fresh-2026',
    salt: 'pepper',
    employee,
  });
  const classicLogin = async (username: string, password: string): Promise<string> => {
    const { body } = await signIn({ username, password });
    expect(body.status).toBe(1);
    return body.jwt as string;
  };

  beforeAll(async () => {
    const { ports: chosen, env: portsEnv } = await classicPorts();
    ports = chosen;
    store = await Store.start(topology, {
      env: {
        NODE_ENV: 'production',
        CLASSIC_API: '1',
        CLASSIC_API_PRODUCTION: 'true',
        CLASSIC_JWT_KEY: KEY,
        BOOTSTRAP_EMPLOYEE_USERNAME: OWNER.username,
        BOOTSTRAP_EMPLOYEE_PASSWORD: OWNER.password,
        BOOTSTRAP_EMPLOYEE_EMAIL: OWNER.email,
        ...portsEnv,
      },
    });
  });

  afterAll(async () => {
    await store?.close();
  });

  it('has no GET /clear on any classic port, and nothing is deleted', async () => {
    for (const service of SERVICES) {
      const res = await classic(service, 'GET', '/clear');
      expect({ service, status: res.httpStatus }).toEqual({ service, status: 404 });
    }
    expect(await classicLogin(OWNER.username, OWNER.password)).toMatch(/\./);
  });

  it('creates an employee only for a request with an employee’s classic token', async () => {
    // Without a token, with a forged or a customer's token: refused (4), and nothing is created.
    expect((await createUser(newUser('mallory', 'True'))).body).toEqual({
      status: 4,
      pass_hash: 'NULL',
    });
    expect((await createUser(newUser('mallory', 'True'), classicToken('owner'))).body.status).toBe(
      4,
    ); // signed with the original public key, not this store's
    expect((await createUser(newUser('cora', 'False'))).body.status).toBe(1);
    const customer = await classicLogin('cora', 'Garden-Fresh-2026');
    expect((await createUser(newUser('mallory', 'True'), customer)).body.status).toBe(4);
    // mallory was never created: the name is still free for a customer account.
    expect((await createUser(newUser('mallory', 'False'))).body.status).toBe(1);
    const mallory = await classicLogin('mallory', 'Garden-Fresh-2026');
    expect(
      (await createProduct({ name: 'rogue', price: '1.00', category: 'x' }, mallory)).body.status,
    ).toBe(2);

    // An employee's classic token creates an employee, who can then act as one.
    const owner = await classicLogin(OWNER.username, OWNER.password);
    expect((await createUser(newUser('erin', 'True'), owner)).body.status).toBe(1);
    const erin = await classicLogin('erin', 'Garden-Fresh-2026');
    expect(
      (await createProduct({ name: 'pears', price: '2.50', category: 'fruit' }, erin)).body.status,
    ).toBe(1);
  });

  it('refuses to start the profile in production without CLASSIC_API_PRODUCTION and a key: exit 2, one line', async () => {
    const args = topology === 'single' ? ['--classic'] : ['--service', 'users', '--classic'];
    const { code, output } = await runEntrypoint(args, {
      NODE_ENV: 'production',
      DATA_DIR: '/nonexistent-classic-check',
    });
    expect(code).toBe(2);
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual([
      expect.stringMatching(
        /^Invalid configuration: CLASSIC_API: the classic profile is refused when NODE_ENV=production unless CLASSIC_API_PRODUCTION=true and CLASSIC_JWT_KEY .* are set too/,
      ),
    ]);
  });
});
