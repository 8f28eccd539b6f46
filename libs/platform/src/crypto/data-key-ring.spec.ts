import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { DataKeyRing } from './data-key-ring';
import { dataKeyProblems, parseEncryptionKeys } from '../config/data-key-format';
import { dataKeyRing, ensureDevDataKeys } from './data-keys';

const key = () => randomBytes(32);
const ring = (...ids: Array<[string, Buffer]>) =>
  new DataKeyRing({ encryptionKeys: ids.map(([id, k]) => ({ id, key: k })), indexKey: index });
const index = key();

describe('DataKeyRing', () => {
  const k1 = key();
  const k2 = key();

  it('seals with AES-256-GCM under the first key and opens it again; each seal differs', () => {
    const keys = ring(['a', k1]);
    const one = keys.seal('ada@example.com', 'user.email');
    const two = keys.seal('ada@example.com', 'user.email');
    expect(one).toMatch(/^enc1\.a\.[A-Za-z0-9_-]+$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('ada');
    expect(keys.open(one, 'user.email')).toBe('ada@example.com');
  });

  it('refuses a value opened in another context or altered by one bit', () => {
    const keys = ring(['a', k1]);
    const sealed = keys.seal('Ada', 'user.firstName');
    expect(() => keys.open(sealed, 'user.lastName')).toThrow(
      'a value of user.lastName does not open under the key "a"',
    );
    const raw = Buffer.from(sealed.split('.')[2], 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => keys.open(`enc1.a.${raw.toString('base64url')}`, 'user.firstName')).toThrow();
  });

  it('binds a value sealed under a row context to that row: it opens in no other row, nor under its column alone', () => {
    const keys = ring(['a', k1]);
    const rowA = DataKeyRing.rowContext('signing_key.privateKeyPem', 'kid-a');
    const rowB = DataKeyRing.rowContext('signing_key.privateKeyPem', 'kid-b');
    const sealed = keys.seal('secret', rowA);
    expect(keys.open(sealed, rowA)).toBe('secret');
    expect(() => keys.open(sealed, rowB)).toThrow(
      'a value of signing_key.privateKeyPem in the row kid-b does not open under the key "a"',
    );
    expect(() => keys.open(sealed, 'signing_key.privateKeyPem')).toThrow(/does not open/);
    expect(() => keys.open(keys.seal('secret', 'signing_key.privateKeyPem'), rowA)).toThrow(
      /does not open/,
    );
  });

  it('rotates: a ring with a new first key reads the old values and writes under the new key', () => {
    const old = ring(['old', k1]).seal('Lovelace', 'user.lastName');
    const both = ring(['new', k2], ['old', k1]);
    expect(both.open(old, 'user.lastName')).toBe('Lovelace');
    expect(both.isCurrent(old)).toBe(false);
    expect(both.isCurrent(both.seal('x', 'c'))).toBe(true);
    expect(() => ring(['new', k2]).open(old, 'user.lastName')).toThrow(
      /"old", which is not configured/,
    );
  });

  it('gives a keyed, deterministic blind index per purpose', () => {
    const keys = ring(['a', k1]);
    expect(keys.blindIndex('ada@example.com', 'user.email')).toBe(
      ring(['b', k2]).blindIndex('ada@example.com', 'user.email'),
    );
    expect(keys.blindIndex('ada@example.com', 'user.email')).not.toBe(
      keys.blindIndex('ada@example.com', 'backup_code'),
    );
    const other = new DataKeyRing({ encryptionKeys: [{ id: 'a', key: k1 }], indexKey: key() });
    expect(other.blindIndex('ada@example.com', 'user.email')).not.toBe(
      keys.blindIndex('ada@example.com', 'user.email'),
    );
  });
});

describe('data key configuration', () => {
  it('parses "<id>:<base64>" lists and names what is wrong without echoing a key', () => {
    const text = `k2:${key().toString('base64')}, k1:${key().toString('base64')}`;
    expect(parseEncryptionKeys(text).map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => parseEncryptionKeys('k1:c2hvcnQ=')).toThrow(/"k1" must be the base64 of 32/);
    expect(() => parseEncryptionKeys(`:${key().toString('base64')}`)).toThrow(/<id>:<key>/);
    const k = key().toString('base64');
    expect(() => parseEncryptionKeys(`a:${k},a:${k}`)).toThrow(/twice/);
    const problems = dataKeyProblems('bad', undefined);
    expect(problems.join('\n')).toMatch(/DATA_ENCRYPTION_KEYS/);
    expect(problems.join('\n')).toMatch(/set both or neither/);
    expect(dataKeyProblems(`a:${k}`, k)).toEqual([]);
  });

  it('creates development keys once per data folder, the same for every process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfm-keys-'));
    try {
      const first = ensureDevDataKeys(dir);
      const second = ensureDevDataKeys(dir);
      expect(second.encryptionKeys[0].key.equals(first.encryptionKeys[0].key)).toBe(true);
      expect(second.indexKey.equals(first.indexKey)).toBe(true);
      expect(Object.keys(JSON.parse(readFileSync(join(dir, 'data-keys.json'), 'utf8')))).toEqual([
        'encryptionKeys',
        'indexKey',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses production without configured keys (a ConfigError: exit 2), and creates nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfm-keys-'));
    try {
      const config = { nodeEnv: 'production', dataDir: dir, dataProtection: {} } as AppConfig;
      expect(() => dataKeyRing(config)).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
