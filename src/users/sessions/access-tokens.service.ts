import { KeyObject, createPublicKey, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '@mfm/contracts/users.contract';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { SigningKeysService } from './signing-keys.service';

export interface AccessClaims {
  sub: string;
  username: string;
  role: Role;
  /** The session (refresh-token family) this token belongs to. */
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  /** How the login was authenticated (RFC 8176): "pwd", "otp", "hwk", "mfa" when two factors. */
  amr?: string[];
  /** When the holder re-authenticated (seconds since the epoch): only tokens from a step-up. */
  reauth_at?: number;
}

const ALGORITHM = 'RS256' as const;

const invalid = (reason: string) => PlatformErrors.ACCESS_TOKEN_INVALID.error({ reason });

@Injectable()
export class AccessTokensService {
  /** Parsed public keys by PEM: parsing a PEM on every verification was a tenth of a check's cost. */
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  issue(
    user: { id: string; username: string; role: Role },
    sessionId: string,
    amr: readonly string[] = ['pwd'],
    reauthAt?: number,
  ): string {
    const key = this.keys.signingKey();
    return this.jwt.sign(
      {
        username: user.username,
        role: user.role,
        sid: sessionId,
        amr,
        ...(reauthAt !== undefined && { reauth_at: reauthAt }),
      },
      {
        algorithm: ALGORITHM,
        privateKey: key.privateKeyPem,
        keyid: key.kid,
        subject: user.id,
        jwtid: randomUUID(),
        expiresIn: this.ttlSeconds,
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
      },
    );
  }

  private publicKey(pem: string): KeyObject {
    let key = this.publicKeys.get(pem);
    if (!key) {
      key = createPublicKey(pem);
      this.publicKeys.set(pem, key);
    }
    return key;
  }

  /** Signature (RS256 only: "none" and HS256-with-the-public-key are refused), expiry, issuer, audience. */
  verify(token: string): AccessClaims {
    const header = this.jwt.decode<{ sub?: string } | null>(token, { complete: true }) as {
      header?: { kid?: unknown; alg?: unknown };
    } | null;
    const kid = header?.header?.kid;
    if (typeof kid !== 'string') throw invalid('malformed');
    if (header?.header?.alg !== ALGORITHM) throw invalid('wrong algorithm');
    const key = this.keys.verificationKey(kid);
    if (!key) throw invalid('unknown key');
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, {
        algorithms: [ALGORITHM],
        // jsonwebtoken takes a KeyObject as well as a PEM; @nestjs/jwt's type names only the PEM.
        publicKey: this.publicKey(key.publicKeyPem) as unknown as string,
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
      });
    } catch (error) {
      const name = (error as Error).name;
      throw invalid(name === 'TokenExpiredError' ? 'expired' : 'bad signature or claims');
    }
    // Only this service signs with these keys, but a token that lacks what the checks after this
    // rely on must fail as a 401 here, not as an error deeper down.
    const named = [claims.sub, claims.sid, claims.username, claims.role].every(
      (value) => typeof value === 'string' && value.length > 0,
    );
    if (!named || typeof claims.exp !== 'number') {
      throw invalid('missing claims');
    }
    return claims;
  }
}
