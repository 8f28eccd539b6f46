import { DEFAULT_CLASSIC_JWT_KEY } from '@mfm/platform/config/load-config';
import {
  CLASSIC_TOKEN_HEADER,
  classicPayload,
  encodeClassicToken,
  verifyClassicToken,
} from './classic-token';

// Computed independently with Python (base64.urlsafe_b64encode, json.dumps, hmac/sha256), as the
// original services did.
const ALICE =
  'eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJ1c2VybmFtZSI6ICJhbGljZSJ9.c2f0e61c9c7552d7348574dce788b43449a53ca34fe66787fa15214b06ee3bde';
const BOB1 =
  'eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJ1c2VybmFtZSI6ICJib2IxIn0=.406b26146a380dc4b81bbeab94bc447ea3e85819df37813a16b9afe092a0d979';
const JURGEN =
  'eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJ1c2VybmFtZSI6ICJqXHUwMGZjcmdlbiJ9.3289d057e94c152db4d459c4debffbb9c549df933dcb7b4e4b1e1e4f6796c2f8';

describe('classic token codec', () => {
  it('encodes the exact header text, with its spaces', () => {
    const [header] = encodeClassicToken('alice', DEFAULT_CLASSIC_JWT_KEY).split('.');
    expect(CLASSIC_TOKEN_HEADER).toBe('{"alg": "HS256", "typ": "JWT"}');
    expect(Buffer.from(header, 'base64').toString('utf8')).toBe('{"alg": "HS256", "typ": "JWT"}');
    expect(header).toBe('eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9');
  });

  it('builds byte for byte the tokens of the original services', () => {
    expect(encodeClassicToken('alice', DEFAULT_CLASSIC_JWT_KEY)).toBe(ALICE);
    expect(encodeClassicToken('bob1', DEFAULT_CLASSIC_JWT_KEY)).toBe(BOB1);
    expect(encodeClassicToken('jürgen', DEFAULT_CLASSIC_JWT_KEY)).toBe(JURGEN);
    expect(classicPayload('bob1')).toBe('{"username": "bob1"}');
  });

  it('keeps the base64 padding and writes the signature in lowercase hex', () => {
    const [, payload, signature] = BOB1.split('.');
    expect(payload.endsWith('=')).toBe(true);
    expect(encodeClassicToken('bob1', DEFAULT_CLASSIC_JWT_KEY).split('.')[1]).toBe(payload);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a valid token and returns its username', () => {
    expect(verifyClassicToken(ALICE, DEFAULT_CLASSIC_JWT_KEY)).toBe('alice');
    expect(verifyClassicToken(BOB1, DEFAULT_CLASSIC_JWT_KEY)).toBe('bob1');
    expect(verifyClassicToken(JURGEN, DEFAULT_CLASSIC_JWT_KEY)).toBe('jürgen');
  });

  it("refuses a token when one letter's case changes, in the signature or elsewhere", () => {
    const upperHex = ALICE.replace(/c2f0e6/, 'C2f0e6');
    expect(upperHex).not.toBe(ALICE);
    expect(verifyClassicToken(upperHex, DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
    const payloadCase = ALICE.replace(
      'eyJ1c2VybmFtZSI6ICJhbGljZSJ9',
      'eyJ1c2VybmFtZSI6ICJhbGljZSj9',
    );
    expect(verifyClassicToken(payloadCase, DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
    expect(verifyClassicToken(ALICE.toUpperCase(), DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
  });

  it('refuses another key, a forged payload, missing parts and a Bearer prefix', () => {
    expect(verifyClassicToken(ALICE, 'another-key-of-sixteen-chars')).toBeNull();
    const [header, , signature] = ALICE.split('.');
    const mallory = Buffer.from('{"username": "mallory"}').toString('base64url');
    expect(
      verifyClassicToken(`${header}.${mallory}.${signature}`, DEFAULT_CLASSIC_JWT_KEY),
    ).toBeNull();
    expect(
      verifyClassicToken(ALICE.split('.').slice(0, 2).join('.'), DEFAULT_CLASSIC_JWT_KEY),
    ).toBeNull();
    expect(verifyClassicToken(`Bearer ${ALICE}`, DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
    expect(verifyClassicToken('', DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
    expect(verifyClassicToken(undefined, DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
  });

  it('signs with the configured key', () => {
    const token = encodeClassicToken('alice', 'a-shop-specific-key-123');
    expect(token).not.toBe(ALICE);
    expect(verifyClassicToken(token, 'a-shop-specific-key-123')).toBe('alice');
    expect(verifyClassicToken(token, DEFAULT_CLASSIC_JWT_KEY)).toBeNull();
  });
});
