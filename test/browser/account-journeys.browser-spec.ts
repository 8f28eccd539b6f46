import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { TestAuthenticator } from '../support/authenticator';
import { SmtpCatcher, codeIn, type ReceivedMail } from '../support/mail';
import { addPlatformAuthenticator } from '../support/virtual-authenticator';
import {
  type RunningShop,
  ShopApi,
  useCheckedPages,
  journeySuite,
  submitSignIn,
  screenshot,
  seriousViolations,
  signIn,
  startShop,
  textOf,
} from './browser';

/**
 * The account pages of the web app in Debian's Chromium against the real store, in both
 * topologies, with the store's real mail caught by an SMTP server in the test process: the
 * pages the mailed links lead to (verify-email, reset-password, confirm-email), "forgot your
 * password", the notice and new link for an unconfirmed address at checkout, the two-step
 * sign-in with an authenticator app's code (computed here), a backup code or a mailed code, the
 * account page (two-factor sign-in on and off, backup codes, a new address), reviews on the
 * product page and the contact form.
 */

const { browser, describeTopologies } = journeySuite('the account journeys');

const MANAGER = ['manager', 'FreshBasket-2026'] as const;
const FEEDBACK_INBOX = 'feedback@shop.example';

/** The path and query of the link of a mail (PUBLIC_URL's host differs from the test's URL). */
function linkIn(mail: ReceivedMail, page: 'verify-email' | 'reset-password' | 'confirm-email') {
  const match = new RegExp(`https?://[^\\s"<>]+/${page}\\?token=[^\\s"<>]+`).exec(mail.text);
  if (!match) throw new Error(`no ${page} link in mail "${mail.subject}":\n${mail.text}`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

describeTopologies('account pages in a browser (%s)', (topology) => {
  let shop: RunningShop;
  let smtp: SmtpCatcher;
  let api: ShopApi;
  let managerToken: string;
  const openChecked = useCheckedPages(browser);

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    shop = await startShop(topology, { SMTP_URL: smtp.url, FEEDBACK_EMAIL: FEEDBACK_INBOX });
    api = new ShopApi(shop.url);
    managerToken = await api.token(...MANAGER);
  }, 240_000);

  afterAll(async () => {
    await shop?.close();
    await smtp?.stop();
  }, 60_000);

  async function visitor(): Promise<Page> {
    return (await openChecked(shop.url)).page;
  }

  /**
   * No serious or critical axe finding on the page as it is, and its screenshot in
   * docs/screenshots (in one topology: the pages are the same in both).
   */
  async function expectAccessible(page: Page, name: string): Promise<void> {
    if (topology !== 'single') return;
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `${name}-desktop`);
  }

  interface Customer {
    username: string;
    email: string;
    password: string;
  }

  /** A new customer through the API; `verified` opens the mailed link through the API too. */
  async function customer(verified: boolean): Promise<Customer> {
    const username = `b_${randomUUID().slice(0, 8)}`;
    const account = {
      firstName: 'Grace',
      lastName: 'Hopper',
      username,
      email: `${username}@example.com`,
      password: 'Compiler-Pioneer-1952',
    };
    await api.call('POST', '/api/auth/register', undefined, account);
    if (verified) {
      const mail = await smtp.waitFor(account.email, /Confirm your email address/);
      const token = new URL(`http://x${linkIn(mail, 'verify-email')}`).searchParams.get('token');
      await api.call('POST', '/api/auth/verify-email', undefined, { token });
    }
    return account;
  }

  /** A new, confirmed customer on the account page, who has just asked to turn two-factor on. */
  async function turningOnTwoFactor(): Promise<{ shopper: Customer; page: Page }> {
    const shopper = await customer(true);
    const page = await visitor();
    await signIn(page, shopper.username, shopper.password);
    await page.goto('/account');
    await confirmIt(page, shopper.password);
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    return { shopper, page };
  }

  async function newProduct(name: string) {
    return api.call<{ id: string; name: string }>('POST', '/api/products', managerToken, {
      name: `${name} ${topology} ${randomUUID().slice(0, 6)}`,
      category: 'pantry',
      priceCents: 399,
      stock: 50,
      description: `${name}, made for a test.`,
    });
  }

  /**
   * A page on the users process at http://localhost:<port> (an origin the store accepts for
   * passkeys outside production) whose browser has a virtual platform authenticator: a laptop
   * with a fingerprint reader, its person always present and verified.
   */
  async function withAuthenticator(): Promise<Page> {
    const { context, page } = await openChecked(shop.usersUrl.replace('127.0.0.1', 'localhost'));
    await addPlatformAuthenticator(context, page);
    return page;
  }

  /** The account page's "Confirm it is you" with the password, before changing sign-in settings. */
  async function confirmIt(page: Page, password: string, code?: string): Promise<void> {
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await page.getByLabel('Password to confirm it is you').fill(password);
    if (code !== undefined)
      await page.getByLabel('Code from your app to confirm it is you').fill(code);
    await page.getByRole('button', { name: 'Confirm it is me' }).click();
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor({ state: 'detached' });
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  }

  /** The login page's two steps: the password, then "Use a backup code". */
  async function signInWithBackupCode(page: Page, who: Customer, code: string): Promise<void> {
    await submitSignIn(page, who.username, who.password);
    await page.getByRole('button', { name: 'Use a backup code' }).click();
    await page.getByLabel('Backup code').fill(code);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** Two-factor sign-in turned on through the API: the app, and the backup codes it gave. */
  async function enrolTotp(
    shopper: Customer,
  ): Promise<{ app: TestAuthenticator; backupCodes: string[] }> {
    const plain = await api.token(shopper.username, shopper.password);
    const { accessToken } = await api.call<{ accessToken: string }>(
      'POST',
      '/api/users/me/reauthenticate',
      plain,
      { password: shopper.password },
    );
    const started = await api.call<{ secret: string }>(
      'POST',
      '/api/users/me/mfa/totp',
      accessToken,
    );
    const app = new TestAuthenticator(started.secret);
    const confirmed = await api.call<{ backupCodes: string[] }>(
      'POST',
      '/api/users/me/mfa/totp/confirm',
      accessToken,
      { code: await app.next() },
    );
    expect(confirmed.backupCodes).toHaveLength(10);
    return { app, backupCodes: confirmed.backupCodes };
  }

  /**
   * The failed second steps on record for a user, read once `after` (an event the journey caused
   * after its wrong codes) is on record: the audit trail arrives in order from the users outbox.
   */
  async function mfaFailures(username: string, after: string): Promise<number> {
    const types = await api.eventually(
      'the audit of two-factor sign-in',
      async () =>
        (
          await api.call<{ items: Array<{ type: string }> }>(
            'GET',
            `/api/logs?username=${username}&limit=100`,
            managerToken,
          )
        ).items.map((event) => event.type),
      (seen) => seen.includes(after),
    );
    return types.filter((type) => type === 'mfa_failed').length;
  }

  it('sign-up: checkout asks to confirm the address first and sends a new link; an old link is refused, the new one confirms and the order goes through', async () => {
    const product = await newProduct('Rye crackers');
    const page = await visitor();
    const username = `b_${randomUUID().slice(0, 8)}`;
    const email = `${username}@example.com`;
    await page.goto('/register');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Byron');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('Difference-Engine-42');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const firstMail = await smtp.waitFor(email, /Confirm your email address/);

    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: `Add ${product.name} to cart` }).click();
    await page.goto('/checkout');
    const notice = page.getByRole('heading', { name: 'Confirm your email address to order' });
    await notice.waitFor();
    expect(await textOf(page.locator('.notice.warning'))).toContain(email);
    await expectAccessible(page, 'checkout-unconfirmed');

    // A new link replaces the first one.
    await page.getByRole('button', { name: 'Send a new confirmation link' }).click();
    await page.getByText('A new link is on its way to your address.').waitFor();
    const secondMail = await api.eventually(
      'a second verification mail',
      async () => smtp.to(email).filter((m) => /Confirm your email address/.test(m.subject)),
      (mails) => mails.length === 2,
    );
    const newLink = linkIn(secondMail[1], 'verify-email');
    expect(newLink).not.toBe(linkIn(firstMail, 'verify-email'));

    await page.goto(linkIn(firstMail, 'verify-email'));
    await page.getByRole('heading', { name: 'Your email address was not confirmed' }).waitFor();
    expect(await textOf(page.getByRole('alert'))).toContain(
      'This verification link is not valid or has expired',
    );
    await expectAccessible(page, 'verify-email-refused');

    await page.goto(newLink);
    await page.getByRole('heading', { name: 'Your email address is confirmed' }).waitFor();
    await expectAccessible(page, 'verify-email');
    // Spent: the same link again is refused.
    await page.reload();
    await page.getByRole('heading', { name: 'Your email address was not confirmed' }).waitFor();

    await page.goto('/checkout');
    await page.getByRole('button', { name: 'Place order' }).waitFor();
    expect(await notice.count()).toBe(0);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Thank you! Your order is placed' }).waitFor();
    const token = await api.token(username, 'Difference-Engine-42');
    const me = await api.call('GET', '/api/users/me', token);
    expect(me.emailVerified).toBe(true);
    const orders = await api.call('GET', '/api/orders', token);
    expect(orders.total).toBe(1);
  });

  it('forgot password: from the login page a mailed link leads to a new password checked against the rule, which then signs in; the link works once', async () => {
    const shopper = await customer(true);
    const page = await visitor();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expectAccessible(page, 'forgot-password');
    await page.getByLabel('Email').fill(shopper.email);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.getByText(`If an account uses ${shopper.email}`).waitFor();
    const mail = await smtp.waitFor(shopper.email, /Reset your .* password/);
    const link = linkIn(mail, 'reset-password');

    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await expectAccessible(page, 'reset-password');
    const password = page.getByLabel('New password', { exact: true });
    const save = page.getByRole('button', { name: 'Save the new password' });
    const submit = async (first: string, again?: string) => {
      await password.fill(first);
      if (again !== undefined) await page.getByLabel('New password again').fill(again);
      await save.click();
    };
    // The rule, checked here before anything is sent.
    await submit('short');
    await page.getByText('The password does not meet every rule above yet.').waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    // Two different entries.
    await submit('Brand-New-Basket-9', 'Brand-New-Basket-8');
    await page.getByText('The two passwords are not the same.').waitFor();
    // The part only the store can check (the username in it), shown by the field.
    await submit(`${shopper.username}-Aa1`, `${shopper.username}-Aa1`);
    await page.getByText('must not contain your username').waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');

    await submit('Brand-New-Basket-9', 'Brand-New-Basket-9');
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();

    await signIn(page, shopper.username, 'Brand-New-Basket-9');
    await expect(api.token(shopper.username, shopper.password)).rejects.toThrow(/401/);

    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('Another-Basket-10');
    await page.getByLabel('New password again').fill('Another-Basket-10');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByRole('heading', { name: 'This reset link does not work' }).waitFor();
    expect(await textOf(page.getByRole('alert'))).toContain(
      'This password reset link is not valid or has expired',
    );
    await page.getByRole('link', { name: 'Ask for a new reset link' }).waitFor();
  });

  it('email change: the account page asks for the password, the link at the new address confirms it, and the account shows it', async () => {
    const shopper = await customer(true);
    const newEmail = `new_${shopper.username}@example.org`;
    const page = await visitor();
    await signIn(page, shopper.username, shopper.password);
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByLabel('Password to confirm it is you').fill('Not-My-Password-1');
    await page.getByRole('button', { name: 'Confirm it is me' }).click();
    await page.getByText('That is not your current password.').waitFor();
    await confirmIt(page, shopper.password);
    await page.getByLabel('New email address').fill(newEmail);
    await page.getByLabel('Current password').first().fill('Not-My-Password-1');
    await page.getByRole('button', { name: 'Send a confirmation link' }).click();
    await page.getByText('That is not your current password.').waitFor();

    await page.getByLabel('Current password').first().fill(shopper.password);
    await page.getByRole('button', { name: 'Send a confirmation link' }).click();
    await page.getByText(`We mailed a link to ${newEmail}.`).waitFor();
    const mail = await smtp.waitFor(newEmail, /Confirm your new email address/);

    await page.goto(linkIn(mail, 'confirm-email'));
    await page.getByRole('heading', { name: 'Your new email address is confirmed' }).waitFor();
    expect(await textOf(page.locator('.notice.success'))).toContain(newEmail);
    await expectAccessible(page, 'confirm-email');
    await page.getByRole('link', { name: 'Back to your account' }).click();
    await page.getByText(newEmail).first().waitFor();

    const token = await api.token(shopper.username, shopper.password);
    expect((await api.call('GET', '/api/users/me', token)).email).toBe(newEmail);

    await page.goto(linkIn(mail, 'confirm-email'));
    await page.getByRole('heading', { name: 'Your new address was not confirmed' }).waitFor();
    expect(await textOf(page.getByRole('alert'))).toContain(
      'This email change link is not valid or has expired',
    );
  });

  it('two-factor sign-in: turned on from the account page with the QR code, then sign-in asks for the app code, a backup code or a mailed code', async () => {
    const { shopper, page } = await turningOnTwoFactor();
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(
      await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    await expectAccessible(page, 'account-mfa-enrol');
    const app = new TestAuthenticator(await textOf(page.getByTestId('totp-secret')));
    await page.getByLabel('Code shown by the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('That code is not right.').waitFor();
    await page.getByLabel('Code shown by the app').fill(await app.next());
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
    await codes.first().waitFor();
    const backupCodes = (await codes.allTextContents()).map((code) => code.trim());
    expect(backupCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'I have kept them' }).click();
    // Shown once: gone from the page for good.
    await page.getByText('Backup codes left:').waitFor();
    expect(await page.getByRole('list', { name: 'Backup codes' }).count()).toBe(0);
    // The store now asks for a second factor after the password.
    const challenge = await api.call('POST', '/api/auth/login', undefined, {
      username: shopper.username,
      password: shopper.password,
    });
    expect(challenge).toMatchObject({ mfaRequired: true });

    // The authenticator app's code; a wrong one first.
    await signOut(page);
    await submitSignIn(page, shopper.username, shopper.password);
    await page.getByRole('heading', { name: 'Sign in: second step' }).waitFor();
    await expectAccessible(page, 'sign-in-second-step');
    await page.getByLabel('Code from your authenticator app').fill('123456');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That code is not right. Please check it and try again.').waitFor();
    await page.getByLabel('Code from your authenticator app').fill(await app.next());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // A backup code.
    await signOut(page);
    await signInWithBackupCode(page, shopper, backupCodes[0]);
    await page.goto('/account');
    // A new session: with the app on, confirming it is you takes a code too.
    await confirmIt(page, shopper.password, await app.next());
    await page.getByText('Backup codes left: 9').waitFor();

    // A code by mail.
    await signOut(page);
    await submitSignIn(page, shopper.username, shopper.password);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByText('We mailed a code to your address.').waitFor();
    const mailed = codeIn(await smtp.waitFor(shopper.email, /sign-in code/));
    await page.getByLabel('Code from the mail').fill(mailed);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // The wrong code typed at sign-in is one failure on record (the one at enrolment is not a
    // sign-in attempt).
    expect(await mfaFailures(shopper.username, 'backup_code_used')).toBe(1);
  });

  it('two-factor sign-in: new backup codes from the account page, then turned off with password and code', async () => {
    const shopper = await customer(true);
    const { app, backupCodes } = await enrolTotp(shopper);
    const page = await visitor();
    await signInWithBackupCode(page, shopper, backupCodes[0]);
    const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');

    // New backup codes, then off (a wrong password first).
    await page.goto('/account');
    // A backup code confirms it is you as well as the app's code does.
    await confirmIt(page, shopper.password, backupCodes[1]);
    // A wrong code on the account page counts once against the account, as at sign-in.
    await page.getByLabel('Code from your app for new backup codes').fill('000000');
    await page.getByRole('button', { name: 'Make new backup codes' }).click();
    await page.getByText('That code is not right.').waitFor();
    await page.getByLabel('Code from your app for new backup codes').fill(await app.next());
    await page.getByRole('button', { name: 'Make new backup codes' }).click();
    await codes.first().waitFor();
    const renewed = (await codes.allTextContents()).map((code) => code.trim());
    expect(renewed).toHaveLength(10);
    expect(renewed).not.toContain(backupCodes[2]);
    await page.getByRole('button', { name: 'I have kept them' }).click();
    await page.getByLabel('Current password').first().fill('Not-My-Password-1');
    await page.getByLabel('Code from your app, or a backup code').fill(renewed[1]);
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
    await page.getByText('That is not your current password.').waitFor();
    await page.getByLabel('Current password').first().fill(shopper.password);
    await page.getByLabel('Code from your app, or a backup code').fill(renewed[0]);
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
    await page.getByText('Two-factor sign-in is off.').waitFor();
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).waitFor();

    await signOut(page);
    await signIn(page, shopper.username, shopper.password);
    const status = await api.call(
      'GET',
      '/api/users/me/mfa',
      await api.token(shopper.username, shopper.password),
    );
    expect(status.totpEnabled).toBe(false);
    // The wrong code typed for new backup codes counts once against the account, as at sign-in.
    expect(await mfaFailures(shopper.username, 'mfa_disabled')).toBe(1);
  });

  it('two-factor sign-in: five wrong codes end the sign-in, and the account then refuses codes for a while, each said plainly', async () => {
    const { shopper, page } = await turningOnTwoFactor();
    const app = new TestAuthenticator(await textOf(page.getByTestId('totp-secret')));
    await page.getByLabel('Code shown by the app').fill(await app.next());
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('button', { name: 'I have kept them' }).click();
    await signOut(page);

    await submitSignIn(page, shopper.username, shopper.password);
    const code = page.getByLabel('Code from your authenticator app');
    for (let i = 0; i < 5; i++) {
      await code.fill(String(100000 + i));
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByText('That code is not right.').waitFor();
    }
    await code.fill(await app.next());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('heading', { name: 'This sign-in has ended' }).waitFor();
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByLabel('Password').fill(shopper.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Code from your authenticator app').fill(await app.next());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('heading', { name: 'Too many wrong codes' }).waitFor();
    expect(await textOf(page.getByRole('alert'))).toMatch(/Try again in \d+ minutes?\./);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  });

  it('passkeys: added from the account page once confirmed, then "Sign in with a passkey" signs in without a password, a password sign-in asks for the passkey too; removed again', async () => {
    const shopper = await customer(true);
    const page = await withAuthenticator();
    await signIn(page, shopper.username, shopper.password);
    await page.goto('/account');
    await confirmIt(page, shopper.password);
    await page.getByText('No passkeys yet.').waitFor();
    await page.getByLabel('Name of the new passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('The passkey “Laptop” is added.').waitFor();
    const list = page.getByRole('list', { name: 'Your passkeys' });
    await list.getByText('Laptop', { exact: true }).waitFor();
    await expectAccessible(page, 'account-passkeys');
    await signOut(page);

    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('Hi, Grace').waitFor();
    // With a passkey, the password alone no longer signs in: the passkey is the second step.
    await signOut(page);
    await submitSignIn(page, shopper.username, shopper.password);
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto('/account');
    // The password alone does not confirm it is them either: the passkey does.
    await page.getByLabel('Password to confirm it is you').fill(shopper.password);
    await page.getByRole('button', { name: 'Confirm it is me' }).click();
    await page.getByText('Your account has a passkey as its second factor').waitFor();
    await page.getByRole('button', { name: 'Confirm with a passkey' }).click();
    await list.getByText(/last used/).waitFor();

    await page.getByRole('button', { name: 'Remove Laptop' }).click();
    await page.getByText('The passkey “Laptop” is removed.').waitFor();
    await page.getByText('No passkeys yet.').waitFor();
    // Without a passkey the password signs in alone again.
    await signOut(page);
    await signIn(page, shopper.username, shopper.password);
  });

  it('reviews: the product page shows the average and the reviews; a shopper who has not bought it is told so, a buyer writes and edits a review', async () => {
    const product = await newProduct('Oat biscuits');
    const buyer = await customer(true);
    const other = await customer(true);
    const buyerToken = await api.token(buyer.username, buyer.password);
    await api.call('POST', '/api/orders', buyerToken, {
      items: [{ productId: product.id, quantity: 1 }],
    });

    const page = await visitor();
    await page.goto(`/products/${product.id}`);
    await page.getByRole('heading', { name: 'Reviews' }).waitFor();
    await page.getByTestId('rating-average').getByText('No reviews yet').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).last().waitFor();

    await signIn(page, other.username, other.password);
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: 'Write a review' }).click();
    await page.getByLabel('4 stars').check();
    await page.getByLabel('Your review').fill('Looks nice.');
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.getByText('Only shoppers who have bought this product can review it.').waitFor();
    await signOut(page);

    await signIn(page, buyer.username, buyer.password);
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: 'Write a review' }).click();
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.getByText('Choose a rating from 1 to 5 stars.').waitFor();
    await page.getByLabel('4 stars').check();
    await page.getByLabel('Your review').fill('Crisp, not too sweet.');
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.getByText('Thank you: your review is saved.').waitFor();
    const list = page.getByRole('list', { name: 'Reviews' });
    await list.getByText('Crisp, not too sweet.').waitFor();
    expect(await textOf(page.getByTestId('rating-average'))).toBe('4.0 out of 5 from 1 review');
    await expectAccessible(page, 'product-reviews');

    await page.getByRole('button', { name: 'Edit your review' }).click();
    expect(await page.getByLabel('Your review').inputValue()).toBe('Crisp, not too sweet.');
    await page.getByLabel('5 stars').check();
    await page.getByLabel('Your review').fill('Crisp, not too sweet. Bought more.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await list.getByText('Crisp, not too sweet. Bought more.').waitFor();
    expect(await textOf(page.getByTestId('rating-average'))).toBe('5.0 out of 5 from 1 review');

    const reviews = await api.call('GET', `/api/products/${product.id}/reviews`);
    expect(reviews.items).toEqual([
      expect.objectContaining({
        username: buyer.username,
        rating: 5,
        text: 'Crisp, not too sweet. Bought more.',
      }),
    ]);
  });

  it('contact form: linked from the footer, names a bad field, sends the message to the store and its inbox', async () => {
    const page = await visitor();
    await page.goto('/');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Contact us' }).click();
    await page.getByRole('heading', { name: 'Contact us', level: 1 }).waitFor();
    await expectAccessible(page, 'contact');
    const message = `Could you stock rye flour? ${randomUUID()}`;
    await page.getByLabel('Your name').fill('Mary Somerville');
    await page.getByLabel('Your email').fill('not-an-address');
    await page.getByLabel('Topic').selectOption('products');
    await page.getByLabel('Message').fill(message);
    await page.getByRole('button', { name: 'Send message' }).click();
    const email = page.getByLabel('Your email');
    await page.locator('#contact-email-error').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');

    await email.fill('mary@example.com');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Thank you, your message is sent.').waitFor();

    const mail = await smtp.waitFor(FEEDBACK_INBOX, /Store feedback from Mary Somerville/);
    expect(mail.text).toContain(message);
    const stored = await api.call('GET', '/api/feedback?limit=100', managerToken);
    expect(stored.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'mary@example.com', topic: 'products', message }),
      ]),
    );
  });
});
