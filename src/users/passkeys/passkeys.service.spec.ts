import { randomUUID } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { DataSource } from 'typeorm';
import { refusal, testConfig, usersServices } from '../users-services.spec-helper';
import { Passkey } from './passkey.entity';
import { PasskeysService } from './passkeys.service';
import { createdCredential } from './software-authenticator.spec-helper';
import { WebauthnChallenge } from './webauthn-challenge.entity';

const config = {
  ...testConfig,
  webauthn: { rpName: 'Micro Foods Market', rpId: 'shop.test', origins: ['https://shop.test'] },
};

/** An assertion as a browser would send it; nothing here can sign one, so only its id matters. */
const assertion = (id: string) =>
  ({
    id,
    rawId: id,
    type: 'public-key',
    response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
    clientExtensionResults: {},
  }) as AuthenticationResponseJSON;

describe('PasskeysService (real SQLite, in memory): what holds without an authenticator', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let db: DataSource;
  let passkeys: PasskeysService;

  const storedPasskey = (userId: string, id: string) =>
    db.manager.save(
      db.manager.create(Passkey, { id, userId, name: 'Laptop', publicKey: 'AAAA', counter: 0 }),
    );

  beforeAll(async () => {
    services = await usersServices();
    db = services.db;
    passkeys = new PasskeysService(services.outbox, config, db, services.audit);
  });

  afterAll(async () => {
    await services.close();
  });

  it('asks the authenticator to verify the user, and a sign-in challenge answers one ceremony', async () => {
    const { challengeId, options } = await passkeys.loginOptions();
    expect(options).toMatchObject({ rpId: 'shop.test', userVerification: 'required' });

    const unknown = await refusal(passkeys.login(challengeId, assertion('bm8tc3VjaC1rZXk')));
    expect(unknown).toMatchObject({
      status: 401,
      code: 'PASSKEY_UNKNOWN',
      message: 'This passkey is not registered here',
    });
    // The refused attempt spent the challenge: it cannot be tried again.
    const reused = await refusal(passkeys.login(challengeId, assertion('bm8tc3VjaC1rZXk')));
    expect(reused).toMatchObject({
      status: 400,
      code: 'PASSKEY_CHALLENGE_INVALID',
      details: { field: 'challengeId' },
    });
  });

  it('refuses an expired challenge and one of another ceremony or account', async () => {
    const expiring = await passkeys.loginOptions();
    await db.manager.update(
      WebauthnChallenge,
      { id: expiring.challengeId },
      { expiresAt: new Date(Date.now() - 1000) },
    );
    expect((await refusal(passkeys.login(expiring.challengeId, assertion('a2V5')))).code).toBe(
      'PASSKEY_CHALLENGE_INVALID',
    );

    const owner = await services.customer();
    const other = await services.customer();
    const registration = await passkeys.registrationOptions(owner.id);
    expect((await refusal(passkeys.login(registration.challengeId, assertion('a2V5')))).code).toBe(
      'PASSKEY_CHALLENGE_INVALID',
    );
    const forOwner = await passkeys.registrationOptions(owner.id);
    const byOther = await refusal(
      passkeys.register(other.id, forOwner.challengeId, {} as RegistrationResponseJSON, 'Phone'),
    );
    expect(byOther.code).toBe('PASSKEY_CHALLENGE_INVALID');
    expect(
      (await refusal(passkeys.register(owner.id, randomUUID(), {} as never, undefined))).code,
    ).toBe('PASSKEY_CHALLENGE_INVALID');
  });

  it('refuses a credential that does not verify, naming the field, and adds nothing', async () => {
    const user = await services.customer();
    const { challengeId } = await passkeys.registrationOptions(user.id);
    const rejected = await refusal(
      passkeys.register(
        user.id,
        challengeId,
        {
          id: 'a2V5',
          rawId: 'a2V5',
          type: 'public-key',
          response: { clientDataJSON: 'e30', attestationObject: 'oA' },
          clientExtensionResults: {},
        },
        'Phone',
      ),
    );
    expect(rejected).toMatchObject({ status: 400, code: 'PASSKEY_REJECTED' });
    expect(rejected.message).toMatch(/^The passkey was not accepted: .+/);
    expect(rejected.details).toEqual({ field: 'credential' });
    expect(await passkeys.list(user.id)).toEqual([]);
  });

  it('offers new registrations without the passkeys the account already has', async () => {
    const user = await services.customer();
    await storedPasskey(user.id, 'ZXhpc3Rpbmc');
    const { options } = await passkeys.registrationOptions(user.id);
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual(['ZXhpc3Rpbmc']);
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
  });

  it("removes only the account's own passkey", async () => {
    const owner = await services.customer();
    const other = await services.customer();
    await storedPasskey(owner.id, 'b3duZXJz');
    const foreign = await refusal(passkeys.remove(other.id, 'b3duZXJz'));
    expect(foreign).toMatchObject({ status: 404, code: 'PASSKEY_NOT_FOUND' });
    expect((await passkeys.list(owner.id)).map((p) => p.id)).toEqual(['b3duZXJz']);

    await passkeys.remove(owner.id, 'b3duZXJz');
    expect(await passkeys.list(owner.id)).toEqual([]);
    expect(services.auditTypes()).toContain('passkey_removed');
  });

  describe('with a software authenticator', () => {
    const register = async (userId: string, name?: string) => {
      const { challengeId, options } = await passkeys.registrationOptions(userId);
      return passkeys.register(
        userId,
        challengeId,
        createdCredential(options, 'https://shop.test'),
        name,
      );
    };

    it('adds a verified passkey under its name, audited', async () => {
      const user = await services.customer();
      const added = await register(user.id, '  Kitchen tablet ');
      expect(added).toMatchObject({ userId: user.id, name: 'Kitchen tablet', counter: 0 });
      expect((await passkeys.list(user.id)).map((p) => p.id)).toEqual([added.id]);
      expect(services.auditTypes()).toContain('passkey_added');
    });

    it('refuses a 21st passkey with 409 TOO_MANY_PASSKEYS, and adds nothing', async () => {
      const user = await services.customer();
      for (let i = 0; i < 20; i++) await storedPasskey(user.id, `a2V5LQ${i}`);
      const refused = await refusal(register(user.id));
      expect(refused).toMatchObject({ status: 409, code: 'TOO_MANY_PASSKEYS' });
      expect(await passkeys.list(user.id)).toHaveLength(20);
    });
  });
});
