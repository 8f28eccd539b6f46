import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { Passkey } from './passkey.entity';
import { User } from '../accounts/user.entity';
import { WebauthnChallenge } from './webauthn-challenge.entity';
import { mailAccountChange } from '../account-notices';
import { endOtherSessions } from '../sessions/other-sessions';
import { UsersAudit } from '../users-audit.service';

const CHALLENGE_TTL_SECONDS = 300;
const MAX_PASSKEYS = 20;

const actor = (user: Pick<User, 'id' | 'username'>) => ({
  userId: user.id,
  username: user.username,
});

const refused = (reason: string) =>
  UsersErrors.PASSKEY_REJECTED.error({ reason }, { field: 'credential' });

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: an account registers authenticators, lists and
 * removes them, and signs in with one instead of a password. User verification (PIN, biometrics)
 * is required, so a passkey is two factors in one: its sessions count as multi-factor.
 */
@Injectable()
export class PasskeysService {
  constructor(
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource('users') private readonly db: DataSource,
    private readonly audit: UsersAudit,
  ) {}

  list(userId: string): Promise<Passkey[]> {
    return this.db.manager.find(Passkey, { where: { userId }, order: { createdAt: 'ASC' } });
  }

  async registrationOptions(
    userId: string,
  ): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const user = await this.db.manager.findOneByOrFail(User, { id: userId });
    const existing = await this.list(userId);
    const options = await generateRegistrationOptions({
      rpName: this.config.webauthn.rpName,
      rpID: this.config.webauthn.rpId,
      userName: user.username,
      userID: uuidBytes(user.id),
      userDisplayName: `${user.firstName} ${user.lastName}`,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p) })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    return {
      challengeId: await this.saveChallenge(userId, 'register', options.challenge),
      options,
    };
  }

  /**
   * Adds a passkey. The owner is mailed; when it is the account's first second factor, password
   * logins take a second step from now on, so every other session of the account ends.
   */
  async register(
    userId: string,
    challengeId: string,
    credential: RegistrationResponseJSON,
    name: string | undefined,
    sessionId?: string,
  ): Promise<Passkey> {
    const challenge = await this.spendChallenge(challengeId, 'register', userId);
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response: credential,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        requireUserVerification: true,
      });
    } catch (error) {
      throw refused((error as Error).message);
    }
    if (!verified.verified) throw refused('the attestation did not verify');
    const info = verified.registrationInfo.credential;
    return this.outbox.write(async (manager, out) => {
      const user = await manager.findOneByOrFail(User, { id: userId });
      const before = await manager.countBy(Passkey, { userId });
      if (before >= MAX_PASSKEYS) throw UsersErrors.TOO_MANY_PASSKEYS.error({ max: MAX_PASSKEYS });
      if (await manager.existsBy(Passkey, { id: info.id }))
        throw UsersErrors.PASSKEY_EXISTS.error();
      const passkey = manager.create(Passkey, {
        id: info.id,
        userId,
        name: name?.trim() || 'Passkey',
        publicKey: Buffer.from(info.publicKey).toString('base64url'),
        counter: info.counter,
        transports: (info.transports ?? []).join(','),
        lastUsedAt: null,
      });
      await manager.save(passkey);
      const firstFactor = before === 0 && !user.totpSecret;
      const sessionsEnded = firstFactor
        ? await endOtherSessions(manager, userId, sessionId, 'mfa_enabled')
        : 0;
      await out.audit(
        this.audit.event('passkey_added', user, actor(user), {
          passkeyId: passkey.id,
          name: passkey.name,
          sessionsEnded,
        }),
      );
      await mailAccountChange(out, this.config, user, 'passkey_added');
      return passkey;
    });
  }

  async remove(userId: string, passkeyId: string): Promise<void> {
    await this.outbox.write(async (manager, out) => {
      const user = await manager.findOneByOrFail(User, { id: userId });
      const result = await manager.delete(Passkey, { id: passkeyId, userId });
      if (result.affected !== 1) throw UsersErrors.PASSKEY_NOT_FOUND.error();
      await out.audit(this.audit.event('passkey_removed', user, actor(user), { passkeyId }));
      await mailAccountChange(out, this.config, user, 'passkey_removed');
    });
  }

  /** A sign-in ceremony: any passkey of the store's (the authenticator offers its own). */
  async loginOptions(): Promise<{
    challengeId: string;
    options: PublicKeyCredentialRequestOptionsJSON;
  }> {
    const options = await generateAuthenticationOptions({
      rpID: this.config.webauthn.rpId,
      userVerification: 'required',
    });
    return { challengeId: await this.saveChallenge(null, 'login', options.challenge), options };
  }

  /** Checks a sign-in assertion; the account it belongs to, with its counter moved on. */
  async login(challengeId: string, credential: AuthenticationResponseJSON): Promise<User> {
    const challenge = await this.spendChallenge(challengeId, 'login', null);
    const passkey =
      typeof credential.id === 'string'
        ? await this.db.manager.findOneBy(Passkey, { id: credential.id })
        : null;
    if (!passkey) throw UsersErrors.PASSKEY_UNKNOWN.error();
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response: credential,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        credential: {
          id: passkey.id,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: passkey.counter,
          transports: transportsOf(passkey),
        },
        requireUserVerification: true,
      });
    } catch (error) {
      throw UsersErrors.PASSKEY_ASSERTION_REJECTED.error({ reason: (error as Error).message });
    }
    if (!verified.verified) throw UsersErrors.PASSKEY_LOGIN_REJECTED.error();
    const user = await this.db.manager.findOneByOrFail(User, { id: passkey.userId });
    if (!user.enabled) throw UsersErrors.ACCOUNT_DISABLED.error();
    await this.outbox.write((manager) =>
      manager.update(
        Passkey,
        { id: passkey.id },
        { counter: verified.authenticationInfo.newCounter, lastUsedAt: new Date() },
      ),
    );
    return user;
  }

  private async saveChallenge(
    userId: string | null,
    purpose: 'register' | 'login',
    challenge: string,
  ): Promise<string> {
    const id = randomUUID();
    await this.outbox.write(async (manager) => {
      // Answered and expired challenges have no use after a day: kept that long, then dropped.
      await manager.delete(WebauthnChallenge, {
        expiresAt: LessThan(new Date(Date.now() - 24 * 3600 * 1000)),
      });
      await manager.insert(WebauthnChallenge, {
        id,
        userId,
        purpose,
        challenge,
        expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
        usedAt: null,
      });
    });
    return id;
  }

  /** A challenge answers one ceremony, of its purpose and account, within its lifetime. */
  private async spendChallenge(
    id: string,
    purpose: 'register' | 'login',
    userId: string | null,
  ): Promise<WebauthnChallenge> {
    return this.outbox.write(async (manager) => {
      const challenge = await manager.findOneBy(WebauthnChallenge, { id });
      const spent = await manager.update(
        WebauthnChallenge,
        { id, usedAt: IsNull() },
        { usedAt: new Date() },
      );
      if (
        !challenge ||
        spent.affected !== 1 ||
        challenge.purpose !== purpose ||
        challenge.userId !== userId ||
        new Date(challenge.expiresAt).getTime() <= Date.now()
      )
        throw UsersErrors.PASSKEY_CHALLENGE_INVALID.error({ field: 'challengeId' });
      return challenge;
    });
  }
}

function transportsOf(passkey: Passkey): string[] {
  return passkey.transports ? passkey.transports.split(',') : [];
}
