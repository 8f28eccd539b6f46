import { DEMO, login, newCustomer } from '../support/accounts';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';
import { VirtualAuthenticator } from '../support/virtual-authenticator';

/**
 * Passkeys, in both topologies, with Chromium's virtual authenticator (playwright-core driving
 * Debian's Chromium): register one, list it, sign in with it (multi-factor in the token), refuse
 * a replayed or foreign ceremony, remove it, and record `passkey_added`.
 */
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { amr?: string[] };

describe.each(BEHAVIOUR_TOPOLOGIES)('accounts: passkeys (%s)', (topology) => {
  let store: Store;
  let authenticator: VirtualAuthenticator;
  let employee: string;

  const req = (method: string, path: string, body?: unknown, token?: string) =>
    store.request('users', method, path, { body, token });

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
    const options = await req(
      'POST',
      '/api/users/me/passkeys/options',
      undefined,
      customer.accessToken,
    );
    expect(options.status).toBe(200);
    expect(options.body.options).toMatchObject({
      rp: { id: 'localhost', name: 'Micro Foods Market' },
      user: { name: customer.user.username },
      authenticatorSelection: { userVerification: 'required', residentKey: 'required' },
    });
    const credential = await authenticator.create(options.body.options);
    const added = await req(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential, name: 'Test laptop' },
      customer.accessToken,
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: credential.id, name: 'Test laptop', lastUsedAt: null });
    // The challenge answered one ceremony.
    const replayed = await req(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential },
      customer.accessToken,
    );
    expect(replayed.status).toBe(400);
    expect(replayed.body.code).toBe('PASSKEY_CHALLENGE_INVALID');
    const listed = await req('GET', '/api/users/me/passkeys', undefined, customer.accessToken);
    expect(listed.body).toEqual([
      expect.objectContaining({ id: credential.id, name: 'Test laptop' }),
    ]);

    const loginOptions = await req('POST', '/api/auth/passkey/options');
    expect(loginOptions.status).toBe(200);
    const assertion = await authenticator.get(loginOptions.body.options);
    const signedIn = await req('POST', '/api/auth/passkey/login', {
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
    const fresh = await req('POST', '/api/auth/passkey/options');
    const mismatched = await req('POST', '/api/auth/passkey/login', {
      challengeId: fresh.body.challengeId,
      credential: assertion,
    });
    expect(mismatched.status).toBe(401);
    expect(mismatched.body.code).toBe('PASSKEY_REJECTED');

    const logs = await store.request(
      'logging',
      'GET',
      `/api/logs?username=${customer.user.username}&type=passkey_added`,
      {
        token: employee,
      },
    );
    expect(logs.body.total).toBe(1);

    expect(
      (
        await req(
          'DELETE',
          `/api/users/me/passkeys/${credential.id as string}`,
          undefined,
          customer.accessToken,
        )
      ).status,
    ).toBe(204);
    const afterRemoval = await req('POST', '/api/auth/passkey/options');
    const orphan = await authenticator.get(afterRemoval.body.options);
    const refused = await req('POST', '/api/auth/passkey/login', {
      challengeId: afterRemoval.body.challengeId,
      credential: orphan,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('PASSKEY_UNKNOWN');
  });

  it("refuses a passkey made for another site's origin", async () => {
    const customer = await newCustomer(store);
    const options = await req(
      'POST',
      '/api/users/me/passkeys/options',
      undefined,
      customer.accessToken,
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
    const refused = await req(
      'POST',
      '/api/users/me/passkeys',
      { challengeId: options.body.challengeId, credential: forged },
      customer.accessToken,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('PASSKEY_REJECTED');
    expect(
      (await req('GET', '/api/users/me/passkeys', undefined, customer.accessToken)).body,
    ).toEqual([]);
  });
});
