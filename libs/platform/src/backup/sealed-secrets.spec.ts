import { sealSecrets, unsealSecrets, WrongPassphraseError } from './sealed-secrets';

// Each seal and unseal stretches the passphrase with argon2id at a backup's full cost, on
// purpose: a shared 2-core machine may take seconds for the few each test makes.
jest.setTimeout(60_000);

describe('sealed secrets', () => {
  const secrets = { DATA_ENCRYPTION_KEYS: 'k1:c2VjcmV0', DATA_INDEX_KEY: 'aW5kZXg=' };

  it('opens with the passphrase it was sealed under, and holds nothing in plain text', async () => {
    const sealed = await sealSecrets(secrets, 'correct horse battery staple');
    expect(JSON.stringify(sealed)).not.toContain('c2VjcmV0');
    expect(JSON.stringify(sealed)).not.toContain('DATA_INDEX_KEY');
    expect(await unsealSecrets(sealed, 'correct horse battery staple')).toEqual(secrets);
  });

  it('refuses another passphrase, and a sealed text changed by one bit', async () => {
    const sealed = await sealSecrets(secrets, 'correct horse battery staple');
    await expect(unsealSecrets(sealed, 'Correct horse battery staple')).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    await expect(
      unsealSecrets({ ...sealed, data: data.toString('base64') }, 'correct horse battery staple'),
    ).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('never seals twice alike (a fresh salt and nonce each time)', async () => {
    const [a, b] = await Promise.all([sealSecrets(secrets, 'p'), sealSecrets(secrets, 'p')]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.data).not.toBe(b.data);
  });
});
