import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../browser/browser';

/**
 * A virtual platform authenticator on a page (CTAP2, resident keys, user verification passing),
 * as a laptop with a fingerprint reader has.
 */
export async function addPlatformAuthenticator(
  context: BrowserContext,
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/**
 * Headless Chromium with a virtual platform
 * authenticator (CTAP2, resident keys, user verification passing), on a page of the store's
 * origin: what a person's laptop with a fingerprint reader does for a passkey, driven by a test.
 */
export class VirtualAuthenticator {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    private readonly cdp: CDPSession,
    readonly authenticatorId: string,
  ) {}

  /** `origin` is where the page lives, e.g. http://localhost:3001 (its host is the RP id). */
  static async open(origin: string): Promise<VirtualAuthenticator> {
    // The browser tests' Chromium: Debian's, headless, a fresh profile, no background traffic.
    const browser = await launchChromium();
    // The API's own pages allow no script; the test's calls are not the page's.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${origin}/health`);
    const { cdp, authenticatorId } = await addPlatformAuthenticator(context, page);
    return new VirtualAuthenticator(browser, page, cdp, authenticatorId);
  }

  /** navigator.credentials.create() with the store's options: the credential's JSON. */
  create(options: unknown): Promise<Record<string, unknown>> {
    return this.page.evaluate(async (json) => {
      const pkc = (globalThis as any).PublicKeyCredential;
      const credential = await (globalThis as any).navigator.credentials.create({
        publicKey: pkc.parseCreationOptionsFromJSON(json),
      });
      return credential.toJSON();
    }, options);
  }

  /** navigator.credentials.get() with the store's options: the assertion's JSON. */
  get(options: unknown): Promise<Record<string, unknown>> {
    return this.page.evaluate(async (json) => {
      const pkc = (globalThis as any).PublicKeyCredential;
      const credential = await (globalThis as any).navigator.credentials.get({
        publicKey: pkc.parseRequestOptionsFromJSON(json),
      });
      return credential.toJSON();
    }, options);
  }

  /** The credentials the authenticator holds. */
  async credentials(): Promise<Array<{ credentialId: string; signCount: number }>> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: this.authenticatorId,
    });
    return credentials;
  }

  /** Forgets every credential (a fresh device), e.g. between tests. */
  async clear(): Promise<void> {
    await this.cdp.send('WebAuthn.clearCredentials', { authenticatorId: this.authenticatorId });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
