import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { FixedError } from '@mfm/platform/errors/error-codes';
import { sameHash, sha256 } from '../secret-hash';
import { AccountToken, AccountTokenPurpose } from './account-token.entity';

/** How long each kind of mailed token works. */
export const TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  verify_email: 24 * 3600,
  reset_password: 30 * 60,
  change_email: 24 * 3600,
};

/** How a link of each purpose is refused. */
const REFUSALS: Record<AccountTokenPurpose, FixedError> = {
  verify_email: UsersErrors.INVALID_VERIFICATION_TOKEN,
  reset_password: UsersErrors.INVALID_RESET_TOKEN,
  change_email: UsersErrors.INVALID_EMAIL_CHANGE_TOKEN,
};

const refusal = (purpose: AccountTokenPurpose) => REFUSALS[purpose].error({ field: 'token' });

/**
 * Single-use tokens sent by mail (`<id>.<secret>`, only a SHA-256 of the secret is stored). A new
 * token of a purpose replaces the account's earlier ones, so only the latest mail works.
 */
@Injectable()
export class AccountTokens {
  async issue(
    manager: EntityManager,
    userId: string,
    purpose: AccountTokenPurpose,
    data: string | null = null,
  ): Promise<string> {
    await manager.update(
      AccountToken,
      { userId, purpose, usedAt: IsNull() },
      { usedAt: new Date() },
    );
    const id = randomUUID();
    const secret = randomBytes(24).toString('base64url');
    await manager.insert(AccountToken, {
      id,
      userId,
      purpose,
      secretHash: sha256(secret),
      data,
      expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS[purpose] * 1000),
      usedAt: null,
    });
    return `${id}.${secret}`;
  }

  /**
   * Spends a token inside the caller's transaction: 400 with the purpose's code when it is
   * unknown, of another purpose, used, replaced or expired. Spending is a conditional update, so
   * of two concurrent uses exactly one succeeds.
   */
  async spend(
    manager: EntityManager,
    presented: string,
    purpose: AccountTokenPurpose,
  ): Promise<AccountToken> {
    const token = await this.check(manager, presented, purpose);
    const result = await manager.update(
      AccountToken,
      { id: token.id, usedAt: IsNull() },
      { usedAt: new Date() },
    );
    if (result.affected !== 1) throw refusal(purpose);
    return token;
  }

  /** The token, if it would be accepted now; it stays unspent. */
  async check(
    manager: EntityManager,
    presented: string,
    purpose: AccountTokenPurpose,
  ): Promise<AccountToken> {
    const refused = () => refusal(purpose);
    const [id, secret] = presented.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw refused();
    const token = await manager.findOneBy(AccountToken, { id });
    if (
      !token ||
      token.purpose !== purpose ||
      token.usedAt ||
      new Date(token.expiresAt).getTime() <= Date.now() ||
      !sameHash(token.secretHash, sha256(secret))
    )
      throw refused();
    return token;
  }
}
