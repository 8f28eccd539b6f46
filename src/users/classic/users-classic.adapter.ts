import { createHash } from 'node:crypto';
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Repository } from 'typeorm';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import {
  CLASSIC_NULL,
  ClassicAdapter,
  ClassicRequest,
  ClassicRoute,
} from '@mfm/platform/classic/classic-http';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { AppError, ErrorBody } from '@mfm/platform/errors/error-body';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { encodeClassicToken, verifyClassicToken } from './classic-token';
import { AuthService } from '../sessions/auth.service';
import { emailIndex } from '../personal-data';
import { RegisterDto } from '../accounts/register.dto';
import { RefreshToken } from '../sessions/refresh-token.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../accounts/user.entity';
import { passwordProblems } from '../password/password-policy';
import { UserAccounts } from '../accounts/user-accounts.service';
import { UsersAudit } from '../users-audit.service';

const CREATE_STATUS: Record<string, number> = {
  USERNAME_TAKEN: 2,
  EMAIL_TAKEN: 3,
  WEAK_PASSWORD: 4,
};

/**
 * The original users service (port 9000) over the users module: accounts are created by
 * UserAccounts (argon2id, the modern password rule, `user_created`), logins are checked by
 * AuthService (throttling included) and answered with a classic token instead of a session.
 */
@Injectable()
export class UsersClassicAdapter implements ClassicAdapter {
  readonly module = 'users' as const;

  constructor(
    private readonly accounts: UserAccounts,
    private readonly auth: AuthService,
    private readonly audit: UsersAudit,
    @InjectRepository(User, 'users') private readonly users: Repository<User>,
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(transactionRunnerToken('users')) private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  routes(): ClassicRoute[] {
    return [
      { method: 'POST', path: '/create_user', handle: (r) => this.createUser(r) },
      { method: 'POST', path: '/login', handle: (r) => this.login(r) },
    ];
  }

  /**
   * 1 created, 2 username taken, 3 email taken, 4 password (or another field) refused. In
   * production an employee account is created only for a request carrying an employee's classic
   * token (else 4): the route itself needs no sign-in, and would otherwise hand out staff rights.
   */
  async createUser({ fields, token }: ClassicRequest): Promise<Record<string, unknown>> {
    const failed = (status: number) => ({ status, pass_hash: CLASSIC_NULL });
    const employee = /^true$/i.test(fields.employee ?? '');
    if (employee && this.config.nodeEnv === 'production' && !(await this.isEmployee(token)))
      return failed(4);
    const username = fields.username ?? '';
    const email = fields.email_address ?? '';
    if (username && (await this.users.existsBy({ usernameKey: username.toLowerCase() })))
      return failed(2);
    if (email && (await this.users.existsBy({ emailKey: emailIndex(email) }))) return failed(3);
    const input = plainToInstance(RegisterDto, {
      firstName: fields.first_name ?? '',
      lastName: fields.last_name ?? '',
      username,
      email,
      password: fields.password ?? '',
    });
    if (validateSync(input).length > 0 || passwordProblems(input.password, input).length > 0)
      return failed(4);
    const role = employee ? 'employee' : 'customer';
    try {
      // The classic contract has no verification step: its accounts order at once, as they did.
      await this.accounts.create(input, role, undefined, { emailVerified: true });
    } catch (error) {
      const code = error instanceof HttpException && (error.getResponse() as ErrorBody).code;
      if (code && CREATE_STATUS[code]) return failed(CREATE_STATUS[code]);
      throw error;
    }
    const passHash = createHash('sha256')
      .update(`${input.password}${fields.salt ?? ''}`, 'utf8')
      .digest('hex');
    return { status: 1, pass_hash: passHash };
  }

  /** 1 with a classic token, or 2 (wrong credentials, disabled, or throttled). */
  async login({ fields, address }: ClassicRequest): Promise<Record<string, unknown>> {
    let user: User;
    try {
      user = await this.auth.checkCredentials(
        fields.username ?? '',
        fields.password ?? '',
        address,
      );
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500)
        return { status: 2, jwt: CLASSIC_NULL };
      throw error;
    }
    // The classic token carries no second factor: an account that has one signs in through the
    // modern API only.
    if (user.totpSecret) return { status: 2, jwt: CLASSIC_NULL };
    await this.outbox.write((_manager, out) =>
      out.audit(
        this.audit.event(
          'login',
          user,
          { userId: user.id, username: user.username },
          { classic: true },
        ),
      ),
    );
    return { status: 1, jwt: encodeClassicToken(user.username, this.config.classic.jwtKey) };
  }

  /** Whether a classic token is valid now and belongs to an enabled employee. */
  private async isEmployee(token: string | undefined): Promise<boolean> {
    if (!token) return false;
    try {
      return (await this.verify(token)).role === 'employee';
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  }

  /** users.verify_classic_token: the signature, then the account as the database knows it now. */
  async verify(token: string): Promise<VerifiedUser> {
    const username = verifyClassicToken(token, this.config.classic.jwtKey);
    const user = username ? await this.accounts.findByUsername(username) : null;
    if (!user || user.username !== username) throw PlatformErrors.CLASSIC_TOKEN_INVALID.error();
    if (!user.enabled) throw UsersErrors.TOKEN_ACCOUNT_DISABLED.error();
    return {
      userId: user.id,
      username: user.username,
      role: user.role,
      mfa: false,
      emailVerified: Boolean(user.emailVerifiedAt),
    };
  }

  /**
   * Accounts and everything that hangs off them (sessions, refresh tokens, mailed tokens, second
   * factors, passkeys) go; the signing keys, the contact form's messages and the outbox stay.
   */
  clear(): Promise<void> {
    return this.tx.run(async (manager) => {
      for (const table of [
        'account_token',
        'backup_code',
        'mfa_challenge',
        'passkey',
        'webauthn_challenge',
      ])
        await manager.query(`DELETE FROM "${table}"`);
      await manager.createQueryBuilder().delete().from(RefreshToken).execute();
      await manager.createQueryBuilder().delete().from(Session).execute();
      await manager.createQueryBuilder().delete().from(User).execute();
    });
  }
}
