import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/** Debian's Chromium; nothing here downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium (a fresh profile, none of its background traffic) with a virtual platform
 * authenticator (CTAP2, resident keys, user verification passing), on a page of the store's
 * origin: what a person's laptop with a fingerprint reader does for a passkey, driven by a test.
 */
export class VirtualAuthenticator {
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly profile: string,
    readonly authenticatorId: string,
  ) {}

  /** `origin` is where the page lives, e.g. http://localhost:3001 (its host is the RP id). */
  static async open(origin: string): Promise<VirtualAuthenticator> {
    const profile = mkdtempSync(join(tmpdir(), 'mfm-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      bypassCSP: true, // the API's own pages allow no script; the test's calls are not the page's
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The store listens on 127.0.0.1 only.
        '--host-resolver-rules=MAP localhost 127.0.0.1',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/health`);
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
    return new VirtualAuthenticator(context, page, cdp, profile, authenticatorId);
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

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
