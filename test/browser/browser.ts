import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { httpRequest } from '../support/http';
import { Store } from '../support/store';
import { NGINX } from '../support/nginx-gateway';
import { ComposeTopology } from '../deploy/compose-topology';

// Functions passed to page.evaluate run in the page: these are the few browser globals they use
// (the test program is compiled without the DOM's types, which clash with Node's).
interface PageElement {
  matches(selector: string): boolean;
}
declare const document: { activeElement: PageElement | null; body: unknown };
declare function getComputedStyle(element: PageElement): {
  outlineStyle: string;
  outlineWidth: string;
};

/**
 * Debian's Chromium (.ci/run installs it with apt-get); nothing here downloads a browser. The
 * headless shell first: the same engine without the desktop browser around it, which is what
 * Playwright's own headless runs use, at half the CPU of the full browser (measured on the shop
 * journeys). The full browser serves where only it is installed.
 */
export const CHROMIUM = [
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find(existsSync);

/** Where the tests write their screenshots of the app (three of them are in the README). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/**
 * Headless Chromium without any of its background traffic (updates, sync, field trials): the
 * machines running this have no network beyond the store under test. Playwright gives the
 * browser a fresh temporary profile of its own.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A store to drive with the browser: one process, or five behind the gateway. */
export interface RunningShop {
  url: string;
  /**
   * The process hosting users itself (split: past the gateway), which serves the app and the
   * account routes: passkeys need a page on an origin the store accepts for them.
   */
  usersUrl: string;
  close(): Promise<void>;
  /** Split mode only: stop and start one module's process (a part of the store down). */
  modules?: Pick<ComposeTopology, 'stopModule' | 'startModule'>;
}

/**
 * The demo store as `npm start` runs it (development data), in either topology. `env` adds
 * settings for every process (e.g. SMTP_URL, to read the mail it sends).
 */
export async function startShop(
  topology: 'single' | 'split',
  env: Record<string, string> = {},
): Promise<RunningShop> {
  if (topology === 'single') {
    const store = await Store.start('single', {
      sqliteOnly: true,
      // Tax on two categories, so the order page shows the store's own tax, not only totals.
      env: { NODE_ENV: 'development', TAX_RATES: 'pantry=20,bakery=5.5', ...env },
    });
    return {
      url: store.baseUrl('users'),
      usersUrl: store.baseUrl('users'),
      close: () => store.close(),
    };
  }
  const compose = await ComposeTopology.start({ vars: { NODE_ENV: 'development', ...env } });
  return {
    url: compose.url,
    usersUrl: `http://127.0.0.1:${compose.env('users').USERS_HTTP_PORT}`,
    close: () => compose.close(),
    modules: compose,
  };
}

/** Whether this machine can run a topology's browser tests (CI must: it installs both). */
export function canRun(topology: 'single' | 'split'): boolean {
  return (
    Boolean(process.env.CI) || (CHROMIUM !== undefined && (topology === 'single' || Boolean(NGINX)))
  );
}

/** The topologies this machine can drive; each one it cannot is named with what to install. */
export function runnableTopologies(suite: string): Array<'single' | 'split'> {
  return (['single', 'split'] as const).filter((topology) => {
    if (canRun(topology)) return true;
    console.warn(
      `SKIPPED: ${suite} (${topology}) need ${CHROMIUM ? 'nginx' : 'chromium'} (apt-get install chromium-headless-shell nginx).`,
    );
    return false;
  });
}

/**
 * A journey suite's Chromium, launched once before its tests and closed after them, and
 * `describe.each` over the topologies this machine can drive (one skipped block when none).
 */
export function journeySuite(suite: string) {
  const topologies = runnableTopologies(suite);
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (topologies.length > 0) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    browser: () => browser as Browser,
    describeTopologies:
      topologies.length > 0
        ? describe.each(topologies)
        : describe.skip.each<'single' | 'split'>(['single']),
  };
}

/** The store's API, as a script would call it: for arranging data and checking what the UI said. */
export class ShopApi {
  constructor(private readonly url: string) {}

  async token(username: string, password: string): Promise<string> {
    const res = await httpRequest(this.url, 'POST', '/api/auth/login', {
      body: { username, password },
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
    return res.body.accessToken as string;
  }

  async call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const res = await httpRequest<T>(this.url, method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  }

  /** Polls until `check` holds (the demo history seeds in the background; search follows products). */
  async eventually<T>(
    what: string,
    probe: () => Promise<T>,
    check: (value: T) => boolean,
  ): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined && check(value)) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A fresh browser profile on the shop (its own cookies, localStorage and sessionStorage). */
export async function openShop(
  browser: Browser,
  url: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: url, viewport });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chromium reports every non-2xx answer as "Failed to load resource"; journeys meet 409s
    // and 401s on purpose. Anything else logged as an error is a problem.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  (page as Page & { problems?: string[] }).problems = problems;
  return { context, page };
}

/**
 * Opens pages for the tests of the enclosing block and checks each after its test: none may have
 * thrown or logged an error along the way.
 */
export function useCheckedPages(browser: () => Browser) {
  const pages: Page[] = [];
  afterEach(() => {
    const problems = pages.splice(0).flatMap((page) => pageProblems(page));
    expect(problems).toEqual([]);
  });
  return async (url: string, viewport?: Parameters<typeof openShop>[2]) => {
    const opened = await openShop(browser(), url, viewport);
    pages.push(opened.page);
    return opened;
  };
}

/** Uncaught errors and console errors the page produced. */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await submitSignIn(page, username, password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The sign-in form filled and sent; what follows (signed in, a second step) is the caller's. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The text of a visible element, trimmed. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor();
  return ((await locator.textContent()) ?? '').trim();
}

/**
 * Presses Tab (or Shift+Tab) until the focused element is `target`, as a keyboard user moves
 * through the page; fails when it is never reached.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  { backwards = false, maxPresses = 80 } = {},
): Promise<void> {
  const handle = await target.elementHandle();
  if (!handle) throw new Error('tabTo: no such element');
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await handle.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`tabTo: not reached with ${maxPresses} presses of Tab`);
}

/** Whether the focused element shows a visible focus indicator (an outline of some width). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    return (
      element.matches(':focus-visible') &&
      style.outlineStyle !== 'none' &&
      parseFloat(style.outlineWidth) >= 2
    );
  });
}

/** Serious and critical accessibility violations on the page as it is now (WCAG 2.1 A and AA). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
