import { createHmac, createPrivateKey, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { SigningKey } from './signing-key.entity';
import { AccessTokensService } from './access-tokens.service';
import { SigningKeysService } from './signing-keys.service';

const b64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function rsaKey(kid: string): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    kid,
    publicKeyPem: publicKey,
    privateKeyPem: privateKey,
    createdAt: new Date(),
    retiredAt: null,
  };
}

/** A JWT signed RS256 with any private key: lets a test control every header and claim. */
function signRs256(header: object, payload: object, privateKeyPem: string): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${rsaSign('RSA-SHA256', Buffer.from(input), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

describe('AccessTokensService', () => {
  const real = rsaKey('kid-real');
  const other = rsaKey('kid-real'); // same kid, different key: a forger's
  const config = {
    auth: { issuer: 'mfm-issuer', audience: 'mfm-audience', accessTokenTtlSeconds: 900 },
  } as AppConfig;
  const keys = {
    signingKey: () => real,
    verificationKey: (kid: string) => (kid === real.kid ? real : undefined),
  } as unknown as SigningKeysService;
  const tokens = new AccessTokensService(new JwtService({}), keys, config);
  const user = {
    id: '0b8f2d55-3c8e-4b0e-9d59-6f0f3f8d2a10',
    username: 'ada',
    role: 'customer' as const,
  };

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: user.id,
    username: user.username,
    role: user.role,
    sid: 'session-1',
    jti: 'jti-1',
    iat: now(),
    exp: now() + 900,
    iss: config.auth.issuer,
    aud: config.auth.audience,
    ...overrides,
  });
  const header = { alg: 'RS256', typ: 'JWT', kid: real.kid };
  const rejected = (token: string) =>
    expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ status: 401 }));

  it('issues RS256 tokens with kid, sub, username, role, sid, jti, iss, aud and a 900 s lifetime, and verifies them', () => {
    const token = tokens.issue(user, 'session-1');
    const [encodedHeader] = token.split('.');
    expect(JSON.parse(Buffer.from(encodedHeader, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'kid-real',
    });
    const verified = tokens.verify(token);
    expect(verified).toMatchObject({
      sub: user.id,
      username: 'ada',
      role: 'customer',
      sid: 'session-1',
      iss: 'mfm-issuer',
      aud: 'mfm-audience',
    });
    expect(verified.exp - verified.iat).toBe(900);
    expect(verified.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a token we sign by hand with the real key (the forgeries below differ only in what they test)', () => {
    expect(tokens.verify(signRs256(header, claims(), real.privateKeyPem)).sub).toBe(user.id);
  });

  it('refuses a wrong issuer or audience even when signed with the real key', () => {
    rejected(signRs256(header, claims({ iss: 'someone-else' }), real.privateKeyPem));
    rejected(signRs256(header, claims({ aud: 'someone-else' }), real.privateKeyPem));
  });

  it('refuses an expired token', () => {
    rejected(
      signRs256(header, claims({ iat: now() - 1000, exp: now() - 100 }), real.privateKeyPem),
    );
  });

  it('refuses a token without exp or without the claims the checks rely on', () => {
    const { exp: _exp, ...noExp } = claims();
    rejected(signRs256(header, noExp, real.privateKeyPem));
    const { sid: _sid, ...noSid } = claims();
    rejected(signRs256(header, noSid, real.privateKeyPem));
    const { sub: _sub, ...noSub } = claims();
    rejected(signRs256(header, noSub, real.privateKeyPem));
  });

  it('refuses alg "none"', () => {
    rejected(`${b64url({ alg: 'none', typ: 'JWT', kid: real.kid })}.${b64url(claims())}.`);
  });

  it('refuses HS256 signed with the public key as the HMAC secret', () => {
    const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: real.kid })}.${b64url(claims())}`;
    rejected(
      `${input}.${createHmac('sha256', real.publicKeyPem).update(input).digest('base64url')}`,
    );
  });

  it('refuses a token signed by another key with the same kid, a tampered payload, an unknown kid, and garbage', () => {
    rejected(signRs256(header, claims(), other.privateKeyPem));
    const [h, , s] = tokens.issue(user, 'session-1').split('.');
    rejected(`${h}.${b64url(claims({ role: 'employee' }))}.${s}`);
    rejected(signRs256({ ...header, kid: 'unknown' }, claims(), real.privateKeyPem));
    rejected(signRs256({ alg: 'RS256', typ: 'JWT' }, claims(), real.privateKeyPem));
    rejected('not-a-jwt');
    rejected('');
  });
});
