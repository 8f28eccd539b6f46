import type { Page } from 'playwright-core';
import {
  PHONE,
  type RunningShop,
  ShopApi,
  focusIsVisible,
  useCheckedPages,
  journeySuite,
  screenshot,
  seriousViolations,
  signIn,
  startShop,
  tabTo,
  textOf,
} from './browser';

/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the real
 * store built in dist/: one process, and five processes behind the repository's nginx gateway.
 * Every journey drives the pages as a person would and checks the outcome through the API.
 */

const { browser, describeTopologies } = journeySuite('the browser journeys');

const PEOPLE = {
  manager: ['manager', 'FreshBasket-2026'],
  priya: ['priya.shah', 'Shelf-Stacker-7'],
  customer: ['customer', 'HappyCart-2026'],
  ada: ['ada', 'Analytical-Engine-1843'],
  lena: ['lena.fischer', 'Sunny-Orchard-9'],
  sofia: ['sofia.rossi', 'Basil-Tomato-5'],
} as const;

const pounds = (cents: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(cents / 100);

describeTopologies('the shop in a browser (%s)', (topology) => {
  let shop: RunningShop;
  let api: ShopApi;
  let managerToken: string;
  const suffix = `${topology} ${Date.now().toString(36)}`;
  const openChecked = useCheckedPages(browser);

  beforeAll(async () => {
    shop = await startShop(topology);
    api = new ShopApi(shop.url);
    managerToken = await api.token(...PEOPLE.manager);
    // The development store's history seeds in the background: wait for all of it.
    await api.eventually(
      'the thirty demo orders',
      () => api.call('GET', '/api/orders?limit=1', managerToken),
      (page) => page.total >= 30,
    );
    await api.eventually(
      'the demo catalogue in the search index',
      () => api.call('GET', '/api/search?limit=1'),
      (result) => result.total >= 51,
    );
  }, 240_000);

  afterAll(async () => {
    await shop?.close();
  }, 60_000);

  async function shopper(): Promise<Page> {
    return (await openChecked(shop.url)).page;
  }

  /** A product made for one journey, so journeys never share stock or versions. */
  async function newProduct(name: string, priceCents: number, stock: number, category: string) {
    const product = await api.call<{ id: string; name: string }>(
      'POST',
      '/api/products',
      managerToken,
      {
        name: `${name} ${suffix}`,
        category,
        priceCents,
        stock,
        description: `${name}, made for a test.`,
      },
    );
    await api.eventually(
      `${product.name} in the search`,
      () => api.call('GET', `/api/search?q=${encodeURIComponent(product.name)}`),
      (result) => result.items.some((hit: { id: string }) => hit.id === product.id),
    );
    return product;
  }

  /** Archives a product through the API, as another employee would. */
  async function archive(productId: string, version: number): Promise<void> {
    const res = await fetch(`${shop.url}/api/products/${productId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${managerToken}`, 'if-match': `"${version}"` },
    });
    expect(res.status).toBe(204);
  }

  async function placeOrder(page: Page): Promise<string> {
    await page.goto('/checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Thank you! Your order is placed' }).waitFor();
    return new URL(page.url()).pathname.split('/').pop() as string;
  }

  /**
   * Opens a page and checks it with axe (serious and critical findings are collected in
   * `violations`), then photographs it for the docs, on a phone too where asked.
   */
  async function visit(
    violations: Record<string, string[]>,
    page: Page,
    [name, path, ready, phone = false]: [string, string, string, boolean?],
  ): Promise<void> {
    if (path) await page.goto(path);
    await page.getByRole('heading', { name: ready, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const found = await seriousViolations(page);
    if (found.length > 0) violations[name] = found;
    await screenshot(page, `${name}-desktop`);
    if (phone) {
      await page.setViewportSize(PHONE);
      await screenshot(page, `${name}-phone`);
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  }

  if (topology === 'single') {
    // First, while the store holds only its demo data: these pictures are the README's.
    it("the shop's main pages have no serious or critical accessibility violation (axe), and are photographed on a desktop and a phone", async () => {
      const violations: Record<string, string[]> = {};
      const page = await shopper();
      await visit(violations, page, ['catalogue', '/', 'All groceries', true]);
      await visit(violations, page, ['search', '/?q=choc', 'Results for “choc”']);
      await page.getByRole('link', { name: 'Dark chocolate 70% 100 g' }).click();
      await visit(violations, page, ['product', '', 'Dark chocolate 70% 100 g', true]);
      await page.getByRole('button', { name: 'Add Dark chocolate 70% 100 g to cart' }).click();
      await page.goto('/?q=sourdough');
      await page.getByRole('button', { name: 'Add Sourdough loaf to cart' }).click();
      await visit(violations, page, ['cart', '/cart', 'Your cart', true]);
      await visit(violations, page, ['register', '/register', 'Create an account']);
      await visit(violations, page, ['sign-in', '/login', 'Sign in']);
      await signIn(page, ...PEOPLE.customer);
      await visit(violations, page, ['checkout', '/checkout', 'Checkout', true]);
      await page.getByRole('button', { name: 'Place order' }).click();
      await visit(violations, page, ['order', '', 'Thank you! Your order is placed', true]);
      await visit(violations, page, ['orders', '/orders', 'Your orders']);
      expect(violations).toEqual({});
    });

    it("the back office's main pages have no serious or critical accessibility violation (axe), and are photographed on a desktop and a phone", async () => {
      const violations: Record<string, string[]> = {};
      const office = await shopper();
      await signIn(office, ...PEOPLE.manager);
      await visit(violations, office, ['office', '/office', 'Back office']);
      await visit(violations, office, ['office-products', '/office/products', 'Products', true]);
      await office.getByRole('link', { name: 'Extra virgin olive oil 500 ml' }).click();
      await visit(violations, office, [
        'office-product-edit',
        '',
        'Edit Extra virgin olive oil 500 ml',
        true,
      ]);
      await visit(violations, office, ['office-orders', '/office/orders', 'Orders']);
      await visit(violations, office, ['office-users', '/office/users', 'Users']);
      await visit(violations, office, ['office-audit', '/office/audit', 'Audit log', true]);
      await visit(violations, office, ['office-search', '/office/search', 'Search index']);
      expect(violations).toEqual({});
    });
  }

  it('1. a shopper searches "chocolte" and "choc", filters by category, buys two products at the API\'s total, and finds the order in the history', async () => {
    const page = await shopper();
    await signIn(page, ...PEOPLE.customer);
    const search = page.getByRole('combobox', { name: 'Search groceries' });
    // A typo still finds the product (the search's in-memory engine).
    await search.fill('chocolte');
    await search.press('Enter');
    await page.getByRole('heading', { name: 'Results for “chocolte”' }).waitFor();
    await page.getByRole('heading', { name: 'Dark chocolate 70% 100 g' }).waitFor();
    await search.fill('choc');
    // Suggestions while typing: prefix matching on the search API.
    await page.getByRole('option', { name: /Dark chocolate 70% 100 g/ }).waitFor();
    await search.press('Enter');
    await page.getByRole('heading', { name: 'Results for “choc”' }).waitFor();
    const categories = page.getByRole('navigation', { name: 'Categories' });
    await categories.getByRole('link', { name: 'Bakery, 1 product' }).waitFor();

    await categories.getByRole('link', { name: 'Pantry, 1 product' }).click();
    await page
      .getByRole('heading', { name: 'Chocolate chip cookies' })
      .waitFor({ state: 'detached' });
    expect(await textOf(page.getByText(/^\d+ products?$/))).toBe('1 product');
    await page.getByRole('button', { name: 'Add Dark chocolate 70% 100 g to cart' }).click();

    await categories.getByRole('link', { name: 'Bakery, 1 product' }).click();
    await page
      .getByRole('heading', { name: 'Dark chocolate 70% 100 g' })
      .waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add Chocolate chip cookies to cart' }).click();
    await page.getByRole('link', { name: /^Cart 2 items$/ }).click();

    const lines = page.getByRole('list', { name: 'Products in your cart' }).getByRole('listitem');
    await lines.first().waitFor();
    expect(await lines.count()).toBe(2);
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Thank you! Your order is placed' }).waitFor();

    const orderId = new URL(page.url()).pathname.split('/').pop() as string;
    const token = await api.token(...PEOPLE.customer);
    const order = await api.call('GET', `/api/orders/${orderId}`, token);
    expect(order.status).toBe('CONFIRMED');
    expect(order.lines.map((l: { name: string }) => l.name).sort()).toEqual([
      'Chocolate chip cookies',
      'Dark chocolate 70% 100 g',
    ]);
    expect(await textOf(page.getByTestId('order-total'))).toBe(pounds(order.totalCents));
    expect(await textOf(page.getByTestId('order-tax'))).toBe(pounds(order.taxCents));
    expect(await textOf(page.getByTestId('order-subtotal'))).toBe(pounds(order.subtotalCents));
    if (topology === 'single') expect(order.taxCents).toBeGreaterThan(0); // TAX_RATES is set there

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    const listed = page.getByRole('listitem').filter({
      has: page.getByRole('link', { name: new RegExp(`^Order ${orderId.slice(0, 8)}`) }),
    });
    expect(await textOf(listed)).toContain('Confirmed');
    expect(await textOf(listed)).toContain(pounds(order.totalCents));
  });

  it("2. an employee changes a price: the shopper's next search shows it, and the audit log shows the edit by that employee", async () => {
    const product = await newProduct('Walnut loaf', 349, 20, 'bakery');
    const office = await shopper();
    await signIn(office, ...PEOPLE.manager);
    await office.goto(`/office/products/${product.id}`);
    await office.getByLabel('Price (£)').fill('3.99');
    await office.getByRole('button', { name: 'Save changes' }).click();
    await office.getByText('Saved. The product is now at version 2.').waitFor();

    const page = await shopper();
    await page.goto('/');
    await page.getByRole('combobox', { name: 'Search groceries' }).fill(product.name);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const card = page.getByRole('article', { name: product.name });
    expect(await textOf(card)).toContain('£3.99');
    expect(await textOf(card)).not.toContain('£3.49');

    await office.goto('/office/audit');
    await office.getByLabel('Product name').fill(product.name);
    await office.getByRole('button', { name: 'Show events' }).click();
    const edit = office
      .getByRole('row')
      .filter({ hasText: 'Product changed' })
      .filter({ hasText: product.name });
    const row = await textOf(edit);
    expect(row).toContain('manager');
    expect(row).toContain('price £3.49 → £3.99');
    // "Who last changed this product" on its page in the back office.
    await office.goto(`/office/products/${product.id}`);
    expect(await textOf(office.getByTestId('last-change'))).toMatch(/^Last changed by manager on /);
  });

  it('the back office lists filter from their drop-downs and keep the filter in the URL: employees, cancelled orders, out-of-stock products, and pages', async () => {
    const office = await shopper();
    await signIn(office, ...PEOPLE.manager);
    const caption = () => textOf(office.locator('table caption'));
    const filter = (list: string, label: string) =>
      office.getByRole('group', { name: `Filter ${list}` }).getByLabel(label);
    const totalOf = async (path: string) =>
      (await api.call<{ total: number }>('GET', `${path}&limit=1`, managerToken)).total;

    await office.goto('/office/users');
    await filter('users', 'Role').selectOption('employee');
    await office.waitForURL(/role=employee/);
    const employees = await totalOf('/api/users?role=employee');
    await office.getByText(`${employees} accounts`, { exact: true }).waitFor();
    expect(await office.locator('tbody tr').count()).toBe(employees);

    await office.goto('/office/orders');
    await filter('orders', 'Status').selectOption('CANCELLED');
    await office.waitForURL(/status=CANCELLED/);
    const cancelled = await totalOf('/api/orders?status=CANCELLED');
    await office
      .getByText(`${cancelled} order${cancelled === 1 ? '' : 's'}, newest first`, { exact: true })
      .waitFor();
    for (const badge of await office.locator('tbody tr td:nth-child(4)').allTextContents())
      expect(badge.toLowerCase()).toContain('cancelled');

    // Filters survive a reload (the URL holds them), and paging keeps them.
    await office.goto('/office/products?stock=in&sort=price&order=desc');
    const inStock = await totalOf('/api/products?inStock=true');
    expect(await caption()).toBe(`${inStock} products`);
    await office
      .getByRole('navigation', { name: 'Product pages' })
      .getByRole('button', { name: /Next/ })
      .click();
    await office.waitForURL(/page=2/);
    expect(new URL(office.url()).searchParams.get('stock')).toBe('in');
    await office.getByText('Page 2 of').waitFor();
    // A new filter starts again from page 1.
    await filter('products', 'Stock').selectOption('out');
    await office.waitForURL(
      (url) => url.searchParams.get('stock') === 'out' && !url.searchParams.has('page'),
    );
    const outOfStock = await totalOf('/api/products?inStock=false');
    await office
      .getByText(`${outOfStock} product${outOfStock === 1 ? '' : 's'}`, { exact: true })
      .waitFor();
  });

  it('3. two employees edit the same product: the second sees both versions and reapplies their change', async () => {
    const product = await newProduct('Oat cookies', 250, 30, 'bakery');
    const first = await shopper();
    const second = await shopper();
    await signIn(first, ...PEOPLE.manager);
    await signIn(second, ...PEOPLE.priya);
    for (const page of [first, second]) {
      await page.goto(`/office/products/${product.id}`);
      await page.getByRole('heading', { name: `Edit ${product.name}` }).waitFor();
    }

    await first.getByLabel('Price (£)').fill('2.75');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByText('Saved. The product is now at version 2.').waitFor();

    await second.getByLabel('Units in stock').fill('42');
    await second.getByRole('button', { name: 'Save changes' }).click();
    const conflict = second
      .getByRole('alert')
      .filter({ hasText: 'Someone else saved this product first' });
    await conflict.waitFor();
    const row = (field: string) =>
      textOf(
        conflict.getByRole('row').filter({ has: second.getByRole('rowheader', { name: field }) }),
      );
    expect(await row('Price')).toBe('Price£2.75unchanged');
    expect(await row('Stock')).toBe('Stock3042');

    await second.getByRole('button', { name: 'Apply my changes to the current version' }).click();
    await second.getByText('Saved. The product is now at version 3.').waitFor();
    const saved = await api.call('GET', `/api/products/${product.id}`);
    expect({ priceCents: saved.priceCents, stock: saved.stock, version: saved.version }).toEqual({
      priceCents: 275,
      stock: 42,
      version: 3,
    });
  });

  it('4. a shopper buys the last unit while another holds it in their cart: the second gets a clear out-of-stock message and no order', async () => {
    const product = await newProduct('Last jar of quince jam', 450, 1, 'pantry');
    const first = await shopper();
    const second = await shopper();
    await signIn(first, ...PEOPLE.customer);
    await signIn(second, ...PEOPLE.ada);
    for (const page of [first, second]) {
      await page.goto(`/products/${product.id}`);
      await page.getByRole('button', { name: `Add ${product.name} to cart` }).click();
      await page.getByRole('link', { name: /^Cart 1 items$/ }).waitFor();
    }

    await placeOrder(first);

    await second.goto('/checkout');
    await second.getByRole('button', { name: 'Place order' }).click();
    const message = second.getByRole('alert').filter({ hasText: 'Not enough stock' });
    expect(await textOf(message)).toContain(`${product.name}: out of stock (you asked for 1)`);
    expect(await textOf(message)).toContain('Nothing was ordered');

    expect((await api.call('GET', `/api/products/${product.id}`)).stock).toBe(0);
    const confirmed = await api.call('GET', '/api/orders?status=CONFIRMED&limit=100', managerToken);
    const withProduct = confirmed.items.filter((order: { lines: Array<{ productId: string }> }) =>
      order.lines.some((line) => line.productId === product.id),
    );
    expect(withProduct.map((order: { username: string }) => order.username)).toEqual(['customer']);
  });

  it('5. double-clicking "Place order" creates exactly one order', async () => {
    const product = await newProduct('Double-click tea', 199, 50, 'beverages');
    const token = await api.token(...PEOPLE.lena);
    const before = (await api.call('GET', '/api/orders?limit=1', token)).total;
    const page = await shopper();
    await signIn(page, ...PEOPLE.lena);
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: `Add ${product.name} to cart` }).click();
    await page.goto('/checkout');
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.getByRole('heading', { name: 'Thank you! Your order is placed' }).waitFor();
    await page.waitForLoadState('networkidle');

    const after = await api.call('GET', '/api/orders?limit=100', token);
    expect(after.total).toBe(before + 1);
    expect(
      after.items.filter((order: { lines: Array<{ productId: string }> }) =>
        order.lines.some((line) => line.productId === product.id),
      ),
    ).toHaveLength(1);
    expect((await api.call('GET', `/api/products/${product.id}`)).stock).toBe(49);
  });

  it('a product archived while in the cart: the checkout names it, orders nothing, and offers to remove it', async () => {
    const product = await newProduct('Seasonal marmalade', 375, 10, 'pantry');
    const page = await shopper();
    await signIn(page, ...PEOPLE.customer);
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: `Add ${product.name} to cart` }).click();
    const { version } = await api.call('GET', `/api/products/${product.id}`);
    await archive(product.id, version);

    await page.goto('/checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    const message = page.getByRole('alert').filter({ hasText: 'No longer sold' });
    expect(await textOf(message)).toContain(product.name);
    expect(await textOf(message)).toContain('Nothing was ordered');
    await message.getByRole('button', { name: 'Remove them from my cart' }).click();
    await page.getByText('Your cart is empty.').waitFor();
    const confirmed = await api.call('GET', '/api/orders?status=CONFIRMED&limit=100', managerToken);
    expect(
      confirmed.items.filter((order: { lines: Array<{ productId: string }> }) =>
        order.lines.some((line) => line.productId === product.id),
      ),
    ).toEqual([]);
  });

  if (topology === 'split') {
    it('the orders service down: a clear message and nothing ordered; back up, the same checkout goes through once', async () => {
      const product = await newProduct('Rainy-day cocoa', 420, 10, 'beverages');
      const token = await api.token(...PEOPLE.customer);
      const before = (await api.call('GET', '/api/orders?limit=1', token)).total;
      const page = await shopper();
      await signIn(page, ...PEOPLE.customer);
      await page.goto(`/products/${product.id}`);
      await page.getByRole('button', { name: `Add ${product.name} to cart` }).click();
      await page.goto('/checkout');
      await shop.modules?.stopModule('orders');
      try {
        await page.getByRole('button', { name: 'Place order' }).click();
        const message = page.getByRole('alert').filter({ hasText: 'could not take your order' });
        expect(await textOf(message)).toContain(
          'placing the order again will never order it twice',
        );
        expect((await api.call('GET', `/api/products/${product.id}`)).stock).toBe(10);
      } finally {
        await shop.modules?.startModule('orders');
      }
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByRole('heading', { name: 'Thank you! Your order is placed' }).waitFor();
      expect((await api.call('GET', '/api/orders?limit=1', token)).total).toBe(before + 1);
      expect((await api.call('GET', `/api/products/${product.id}`)).stock).toBe(9);
    });
  }

  it('sign-up shows the password rule before submitting; the session survives a reload until sign-out', async () => {
    const page = await shopper();
    const username = `newcomer_${Date.now().toString(36)}_${topology}`;
    await page.goto('/register');
    const rules = page.getByRole('list', { name: 'Password rule' });
    expect(await rules.getByText('(not met yet)').count()).toBe(7);
    await page.getByLabel('First name').fill('Nora');
    await page.getByLabel('Last name').fill('Quinn');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill('nora-lowercase-1');
    // Before any submit, the checklist says what is still missing.
    expect(
      await textOf(rules.getByRole('listitem').filter({ hasText: 'an uppercase letter' })),
    ).toContain('not met yet');
    expect(
      await textOf(rules.getByRole('listitem').filter({ hasText: 'not your first name' })),
    ).toContain('not met yet');
    await page.getByLabel('Password', { exact: true }).fill('Window-Seat-77');
    expect(await rules.getByText('(not met yet)').count()).toBe(0);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Hi, Nora').waitFor();

    await page.reload();
    await page.getByText('Hi, Nora').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'All groceries' }).waitFor();
    expect(await page.getByText('Hi, Nora').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    // The account exists and its password works; the ended session does not come back.
    expect(await api.token(username, 'Window-Seat-77')).toEqual(expect.any(String));
  });

  it('checkout works with the keyboard alone: search, add, cart, sign in, place the order', async () => {
    const page = await shopper();
    await page.goto('/');
    await tabTo(page, page.getByRole('link', { name: 'Skip to content' }));
    await tabTo(page, page.getByRole('combobox', { name: 'Search groceries' }));
    await page.keyboard.type('honey');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Results for “honey”' }).waitFor();
    const add = page.getByRole('button', { name: 'Add Wildflower honey 350 g to cart' });
    await tabTo(page, add);
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: /^Cart 1 items$/ }).waitFor();

    await tabTo(page, page.getByRole('link', { name: /^Cart 1 items$/ }), { backwards: true });
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('link', { name: 'Go to checkout' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('main').getByRole('link', { name: 'Sign in' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByLabel('Username'));
    await page.keyboard.type(PEOPLE.sofia[0]);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PEOPLE.sofia[1]);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();

    const place = page.getByRole('button', { name: 'Place order' });
    await tabTo(page, place);
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thank you! Your order is placed' }).waitFor();
    const token = await api.token(...PEOPLE.sofia);
    const [latest] = (await api.call('GET', '/api/orders?limit=1', token)).items;
    expect(latest.lines.map((l: { name: string }) => l.name)).toEqual(['Wildflower honey 350 g']);
  });

  it('Swagger UI at /docs: every tag renders, the catalogue shows its query parameters, and Authorize then Execute answers 200', async () => {
    const { page } = await openChecked(shop.url);
    await page.goto('/docs');
    for (const tag of ['auth', 'users', 'products', 'search', 'orders', 'logs', 'health']) {
      await page.locator(`#operations-tag-${tag}`).waitFor();
    }
    // The catalogue's list operation documents its query parameters.
    await page.locator('#operations-products-listProducts .opblock-summary').first().click();
    const parameters = page.locator('#operations-products-listProducts .parameter__name');
    await parameters.first().waitFor();
    const names = (await parameters.allTextContents()).map((text) => text.trim());
    expect(names).toEqual(
      expect.arrayContaining(['category', 'minPrice', 'inStock', 'sort', 'page']),
    );
    // The README's picture: the catalogue's operation open, nothing run yet (no port in it).
    if (topology === 'single') {
      await page.locator('#operations-products-listProducts').scrollIntoViewIfNeeded();
      await screenshot(page, 'swagger-ui');
    }

    // Authorize with a demo customer's token, then try GET /api/users/me.
    const token = await api.token(...PEOPLE.customer);
    await page.locator('.auth-wrapper .btn.authorize').click();
    await page.locator('.modal-ux input[type="text"]').first().fill(token);
    await page.locator('.modal-ux .btn.modal-btn.auth.authorize').first().click();
    await page.locator('.modal-ux .close-modal').click();
    const me = page.locator('#operations-users-getMyProfile');
    await me.locator('.opblock-summary').first().click();
    await me.locator('.try-out__btn').click();
    await me.locator('.execute').click();
    const status = me.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toMatch(/^200/);
    expect(await me.locator('.live-responses-table .microlight').first().textContent()).toContain(
      '"username": "customer"',
    );

    // The token survives a reload (persistAuthorization).
    await page.reload();
    await page.locator('#operations-tag-users').waitFor();
    expect(await page.locator('.auth-wrapper .btn.authorize.locked').count()).toBe(1);
  });
});
