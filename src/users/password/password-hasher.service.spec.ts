import { PasswordHasher } from './password-hasher.service';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id and the OWASP parameters (19 MiB, 2 passes, 1 lane)', async () => {
    const hash = await hasher.hash('Crisp-Apples-7');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    // PHC string: $argon2id$v=19$m=19456,p=1,t=2$<salt>$<hash> (the binding sorts the parameters)
    const [, algorithm, version, params, salt, digest] = hash.split('$');
    expect(algorithm).toBe('argon2id');
    expect(version).toBe('v=19');
    expect(Object.fromEntries(params.split(',').map((pair) => pair.split('=')))).toEqual({
      m: '19456',
      t: '2',
      p: '1',
    });
    expect(salt.length).toBeGreaterThan(0);
    expect(digest.length).toBeGreaterThan(0);
  });

  it('salts: the same password hashes differently each time, and never contains the password', async () => {
    const [a, b] = await Promise.all([
      hasher.hash('Crisp-Apples-7'),
      hasher.hash('Crisp-Apples-7'),
    ]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Crisp-Apples-7');
  });

  it('verifies the right password and refuses a wrong one or a garbage hash', async () => {
    const hash = await hasher.hash('Crisp-Apples-7');
    await expect(hasher.verify(hash, 'Crisp-Apples-7')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'crisp-apples-7')).resolves.toBe(false);
    await expect(hasher.verify('not-a-hash', 'Crisp-Apples-7')).resolves.toBe(false);
  });

  it('verifyDecoy always says no (used when the username does not exist)', async () => {
    await expect(hasher.verifyDecoy('anything')).resolves.toBe(false);
  });

  it('does not block the event loop: a timer keeps ticking while several hashes run', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let hashes: string[];
    let ticksWhenDone: number;
    try {
      hashes = await Promise.all(
        Array.from({ length: 6 }, (_, i) => hasher.hash(`Parallel-Hash-${i}`)),
      );
      ticksWhenDone = ticks;
    } finally {
      clearInterval(timer);
    }
    expect(hashes.every((hash) => hash.startsWith('$argon2id$'))).toBe(true);
    // Had the hashing run on the main thread, not one interval callback could have run before
    // all six promises settled. No timing threshold: only "it ticked at all".
    expect(ticksWhenDone).toBeGreaterThan(0);
  });
});
