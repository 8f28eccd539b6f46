import { DEMO, login, newCustomer, stepUp } from '../support/accounts';
import type { AuditEventPage, ErrorBody, LoginAnswer, Schema } from '../support/api-types';
import { MailFolder } from '../support/mail';
import { BEHAVIOUR_TOPOLOGIES, Store } from '../support/store';
import { VirtualAuthenticator } from '../support/virtual-authenticator';

/**
 * Passkeys, in both topologies, with Chromium's virtual authenticator (playwright-core driving
 * Debian's Chromium): register one, list it, sign in with it (multi-factor in the token), refuse
 * a replayed or foreign ceremony, remove it, and record `passkey_added`.
 */
type PasskeyOptions = Schema<'PasskeyOptionsResponse'>;
type Passkey = Schema<'PasskeyResponse'>;
type Tokens = Schema<'TokenPairResponse'>;

const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { amr?: string[] };

describe.each(BEHAVIOUR_TOPOLOGIES)('accounts: passkeys (%s)', (topology) => {
  let store: Store;
  let authenticator: VirtualAuthenticator;
  let employee: string;

  const req = <T = unknown>(method: string, path: string, body?: unknown, token?: string) =>
    store.request<T>('users', method, path, { body, token });

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    // The page's origin is the users module's own address, as a browser on the shop would have.
    authenticator = await VirtualAuthenticator.open(
      store.baseUrl('users').replace('127.0.0.1', 'localhost'),
    );
  });

  afterAll(async () => {
    await authenticator?.close();
    await store?.close();
  });

  it('registers a passkey, lists it, signs in with it (multi-factor) and removes it', async () => {
    const customer = await newCustomer(store);
    const token = await stepUp(store, customer.accessToken, customer.password);
    const options = await req<PasskeyOptions>(
      'POST',
      '/api/users/me/passkeys/options',
      undefined,
      token,
    );
    expect(options.status).toBe(200);
    expect(options.body.options).toMatchObject({
      rp: { id: 'localhost', name: 'Micro Foods Market' },
      user: { name: customer.user.username },
      authenticatorSelection: { userVerification: 'required', residentKey: 'required' },
    });
    const credential = await authenticator.create(options.body.options);
    const added = await req<Passkey>(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential, name: 'Test laptop' },
      token,
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: credential.id, name: 'Test laptop', lastUsedAt: null });
    // The challenge answered one ceremony.
    const replayed = await req<ErrorBody>(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential },
      token,
    );
    expect(replayed.status).toBe(400);
    expect(replayed.body.code).toBe('PASSKEY_CHALLENGE_INVALID');
    const listed = await req<Passkey[]>('GET', '/api/users/me/passkeys', undefined, token);
    expect(listed.body).toEqual([
      expect.objectContaining({ id: credential.id, name: 'Test laptop' }),
    ]);

    const loginOptions = await req<PasskeyOptions>('POST', '/api/auth/passkey/options');
    expect(loginOptions.status).toBe(200);
    const assertion = await authenticator.get(loginOptions.body.options);
    const signedIn = await req<Tokens>('POST', '/api/auth/passkey/login', {
      challengeId: loginOptions.body.challengeId,
      credential: assertion,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.username).toBe(customer.user.username);
    expect(claims(signedIn.body.accessToken).amr).toEqual(['hwk', 'user', 'mfa']);
    expect((await req('GET', '/api/users/me', undefined, signedIn.body.accessToken)).status).toBe(
      200,
    );
    // The same assertion again: its challenge is spent.
    const again = await req('POST', '/api/auth/passkey/login', {
      challengeId: loginOptions.body.challengeId,
      credential: assertion,
    });
    expect(again.status).toBe(400);
    // An assertion made for another challenge does not answer this one.
    const fresh = await req<PasskeyOptions>('POST', '/api/auth/passkey/options');
    const mismatched = await req<ErrorBody>('POST', '/api/auth/passkey/login', {
      challengeId: fresh.body.challengeId,
      credential: assertion,
    });
    expect(mismatched.status).toBe(401);
    expect(mismatched.body.code).toBe('PASSKEY_REJECTED');

    const logs = await store.request<AuditEventPage>(
      'logging',
      'GET',
      `/api/logs?username=${customer.user.username}&type=passkey_added`,
      {
        token: employee,
      },
    );
    expect(logs.body.total).toBe(1);

    expect(
      (await req('DELETE', `/api/users/me/passkeys/${credential.id as string}`, undefined, token))
        .status,
    ).toBe(204);
    const afterRemoval = await req<PasskeyOptions>('POST', '/api/auth/passkey/options');
    const orphan = await authenticator.get(afterRemoval.body.options);
    const refused = await req<ErrorBody>('POST', '/api/auth/passkey/login', {
      challengeId: afterRemoval.body.challengeId,
      credential: orphan,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('PASSKEY_UNKNOWN');
  });

  it("refuses a passkey made for another site's origin", async () => {
    const customer = await newCustomer(store);
    const token = await stepUp(store, customer.accessToken, customer.password);
    const options = await req<PasskeyOptions>(
      'POST',
      '/api/users/me/passkeys/options',
      undefined,
      token,
    );
    const credential = await authenticator.create(options.body.options);
    // The browser signs the origin it ran on; a credential whose client data names another is refused.
    const clientData = JSON.parse(
      Buffer.from(
        (credential.response as { clientDataJSON: string }).clientDataJSON,
        'base64url',
      ).toString(),
    ) as Record<string, unknown>;
    const forged = {
      ...credential,
      response: {
        ...(credential.response as object),
        clientDataJSON: Buffer.from(
          JSON.stringify({ ...clientData, origin: 'https://evil.example' }),
        ).toString('base64url'),
      },
    };
    const refused = await req<ErrorBody>(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential: forged },
      token,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('PASSKEY_REJECTED');
    expect((await req<Passkey[]>('GET', '/api/users/me/passkeys', undefined, token)).body).toEqual(
      [],
    );
  });
  /** Registers a passkey on the account of a re-authenticated token; the credential. */
  async function addPasskey(token: string): Promise<Record<string, unknown>> {
    const options = await req<PasskeyOptions>(
      'POST',
      '/api/users/me/passkeys/options',
      undefined,
      token,
    );
    expect(options.status).toBe(200);
    const credential = await authenticator.create(options.body.options);
    const added = await req(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential },
      token,
    );
    expect(added.status).toBe(201);
    return credential;
  }

  /** Sign-in options and the assertion of one given passkey (the authenticator holds several). */
  async function assertWith(
    credential: Record<string, unknown>,
  ): Promise<{ challengeId: string; credential: Record<string, unknown> }> {
    const options = await req<PasskeyOptions>('POST', '/api/auth/passkey/options');
    const assertion = await authenticator.get({
      ...options.body.options,
      allowCredentials: [{ id: credential.id, type: 'public-key' }],
    });
    return { challengeId: options.body.challengeId, credential: assertion };
  }

  it('needs a re-authentication to add a passkey: a token alone (a stolen one) cannot', async () => {
    const customer = await newCustomer(store);
    const options = await req<ErrorBody>(
      'POST',
      '/api/users/me/passkeys/options',
      undefined,
      customer.accessToken,
    );
    expect(options.status).toBe(403);
    expect(options.body.code).toBe('REAUTHENTICATION_REQUIRED');
    const add = await req<ErrorBody>(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: '6f1c2a52-0000-4000-8000-000000000001', credential: { id: 'x' } },
      customer.accessToken,
    );
    expect(add.body.code).toBe('REAUTHENTICATION_REQUIRED');
  });

  it('makes a password login to an account with a passkey take a second step, with that passkey only; re-authentication needs it too', async () => {
    await authenticator.clear(); // only this test's passkeys on the device
    const customer = await newCustomer(store);
    const earlier = await login(store, customer.user.username, customer.password);
    const token = await stepUp(store, customer.accessToken, customer.password);
    const mine = await addPasskey(token);
    // Its first second factor: the account's other sessions end, this one goes on.
    expect((await req('GET', '/api/users/me', undefined, earlier.accessToken)).status).toBe(401);
    expect((await req('GET', '/api/users/me', undefined, token)).status).toBe(200);

    const passwordStep = await req<LoginAnswer>('POST', '/api/auth/login', {
      username: customer.user.username,
      password: customer.password,
    });
    expect(passwordStep.status).toBe(200);
    expect(passwordStep.body.mfaRequired).toBe(true);
    expect(passwordStep.body.accessToken).toBeUndefined();
    expect(passwordStep.body.methods).toEqual(['passkey', 'email']);

    // Someone else's passkey (an attacker's own, say) does not complete it.
    const stranger = await newCustomer(store);
    const theirs = await addPasskey(await stepUp(store, stranger.accessToken, stranger.password));
    const foreign = await req<ErrorBody>('POST', '/api/auth/login/mfa/passkey', {
      mfaToken: passwordStep.body.mfaToken,
      ...(await assertWith(theirs)),
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body.code).toBe('PASSKEY_REJECTED');
    const done = await req<Tokens>('POST', '/api/auth/login/mfa/passkey', {
      mfaToken: passwordStep.body.mfaToken,
      ...(await assertWith(mine)),
    });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toEqual(['pwd', 'hwk', 'mfa']);

    // The password alone no longer re-authenticates; the passkey does.
    const session = done.body.accessToken;
    const passwordOnly = await req<ErrorBody>(
      'POST',
      '/api/users/me/reauthenticate',
      { password: customer.password },
      session,
    );
    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body.code).toBe('PASSKEY_REQUIRED');
    const notMine = await req(
      'POST',
      '/api/users/me/reauthenticate/passkey',
      await assertWith(theirs),
      session,
    );
    expect(notMine.status).toBe(401);
    const stepped = await req<Schema<'StepUpResponse'>>(
      'POST',
      '/api/users/me/reauthenticate/passkey',
      await assertWith(mine),
      session,
    );
    expect(stepped.status).toBe(200);
    expect(
      (
        await req(
          'DELETE',
          `/api/users/me/passkeys/${mine.id as string}`,
          undefined,
          stepped.body.accessToken,
        )
      ).status,
    ).toBe(204);

    // The owner was told of both changes, with when and how to secure the account.
    const folder = new MailFolder(store);
    const deadline = Date.now() + 10_000;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      texts = (await folder.all())
        .filter((m) => m.to.includes(customer.email) && /Security notice/.test(m.subject))
        .map((m) => m.text);
      if (texts.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(texts.some((t) => t.includes('A passkey was added'))).toBe(true);
    expect(texts.some((t) => t.includes('A passkey was removed'))).toBe(true);
    expect(texts.every((t) => t.includes('/forgot-password'))).toBe(true);
  });
});
