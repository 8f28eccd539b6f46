import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import type { AuditActor } from '@mfm/contracts/logging.contract';
import type { Role } from '@mfm/contracts/users.contract';
import { placeholder } from '@mfm/platform/database/dialect';
import { findOneRaw } from '@mfm/platform/database/raw-rows';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import type { Outbox, OutboxWriter } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { RegisterDto } from './register.dto';
import { UpdateUserDto } from './update-user.dto';
import { User } from './user.entity';
import { PasswordHasher } from '../password/password-hasher.service';
import { passwordProblems } from '../password/password-policy';
import { UsersAudit } from '../users-audit.service';
import { AccountTokens } from '../email-flows/account-tokens.service';
import { emailIndex } from '../personal-data';

const EDITABLE_FIELDS = ['firstName', 'lastName', 'email', 'role', 'enabled'] as const;
const PERSONAL_FIELDS = new Set<string>(['firstName', 'lastName', 'email']);

/** A page of the store that acts on a mailed token (`/verify-email?token=…`). */
export const accountLink = (config: AppConfig, page: string, token: string): string =>
  `${config.mail.publicUrl}/${page}?token=${encodeURIComponent(token)}`;
type EditableField = (typeof EDITABLE_FIELDS)[number];

export interface UserPage {
  items: User[];
  total: number;
}

/** Accounts: creation (sign-up and by employees), look-ups, and changes by employees. */
@Injectable()
export class UserAccounts {
  constructor(
    @InjectRepository(User, 'users') private readonly users: Repository<User>,
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    private readonly hasher: PasswordHasher,
    private readonly audit: UsersAudit,
    private readonly tokens: AccountTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new account with its `user_created` event and, unless `emailVerified` (accounts whose
   * address needs no proof: the demo and bootstrap accounts, the classic profile), the mail that
   * verifies its address. `seeded` gives the demo store's people their fixed id and the day they
   * joined.
   */
  async create(
    input: RegisterDto,
    role: Role,
    actor?: AuditActor,
    {
      emailVerified = false,
      seeded,
    }: { emailVerified?: boolean; seeded?: { id: string; joinedAt: Date } } = {},
  ): Promise<User> {
    const problems = passwordProblems(input.password, input);
    if (problems.length > 0) {
      throw UsersErrors.WEAK_PASSWORD.error({ problems }, { rules: problems });
    }
    const passwordHash = await this.hasher.hash(input.password);
    return this.outbox.write(async (manager, out) => {
      await this.assertAvailable(manager, input.username, input.email);
      const created = manager.create(User, {
        id: seeded?.id ?? randomUUID(),
        username: input.username,
        usernameKey: input.username.toLowerCase(),
        email: input.email,
        emailKey: emailIndex(input.email),
        firstName: input.firstName,
        lastName: input.lastName,
        passwordHash,
        role,
        enabled: true,
        emailVerifiedAt: emailVerified ? (seeded?.joinedAt ?? new Date()) : null,
        totpSecret: null,
        totpPendingSecret: null,
        totpLastStep: null,
        ...(seeded && { createdAt: seeded.joinedAt, updatedAt: seeded.joinedAt }),
      });
      const user = await manager.save(created);
      if (!emailVerified) await this.mailVerification(manager, out, user);
      await out.audit({
        ...this.audit.event(
          'user_created',
          user,
          actor ?? { userId: user.id, username: user.username },
          { role },
        ),
        ...(seeded && { occurredAt: seeded.joinedAt.toISOString() }),
      });
      return user;
    });
  }

  /** Mails the link (and code) that proves the account's address; earlier links stop working. */
  async mailVerification(manager: EntityManager, out: OutboxWriter, user: User): Promise<void> {
    const token = await this.tokens.issue(manager, user.id, 'verify_email');
    await out.mail(
      { address: user.email, name: user.firstName },
      {
        template: 'verify_email',
        data: {
          name: user.firstName,
          token,
          link: accountLink(this.config, 'verify-email', token),
        },
      },
    );
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ emailKey: emailIndex(email) });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ usernameKey: username.trim().toLowerCase() });
  }

  /** On every authenticated request (the token check): one prepared statement. */
  findById(id: string): Promise<User | null> {
    return findOneRaw(this.users, `"id" = ${placeholder(this.users.manager, 1)}`, [id]);
  }

  async get(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw UsersErrors.USER_NOT_FOUND.error({ id });
    return user;
  }

  async list(filter: {
    page: number;
    limit: number;
    role?: Role;
    enabled?: boolean;
  }): Promise<UserPage> {
    // TypeORM 1.x throws on `undefined` in a where clause (invalidWhereValuesBehavior defaults to
    // "throw"), so only the filters actually given go in.
    const where: FindOptionsWhere<User> = {};
    if (filter.role !== undefined) where.role = filter.role;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    const [items, total] = await this.users.findAndCount({
      where,
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
    return { items, total };
  }

  async update(id: string, changes: UpdateUserDto, actor: AuditActor): Promise<User> {
    if (
      id === actor.userId &&
      (changes.enabled === false || (changes.role && changes.role !== 'employee'))
    ) {
      throw UsersErrors.SELF_LOCKOUT.error();
    }
    return this.outbox.write(async (manager, out) => {
      const current = await manager.findOneBy(User, { id });
      if (!current) throw UsersErrors.USER_NOT_FOUND.error({ id });
      if (changes.email !== undefined && emailIndex(changes.email) !== current.emailKey) {
        await this.assertAvailable(manager, undefined, changes.email);
      }
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      const next: Partial<Pick<User, EditableField>> = {};
      for (const field of EDITABLE_FIELDS) {
        // The DTO instance has every declared field as an own property, `undefined` when not sent:
        // only the fields actually given are applied (copying the rest would blank the entity).
        const value = changes[field];
        if (value === undefined || value === current[field]) continue;
        // Personal data stays out of the audit log: that it changed is recorded, not the values.
        diff[field] = PERSONAL_FIELDS.has(field)
          ? ({ changed: true } as never)
          : { from: current[field], to: value };
        (next as Record<EditableField, unknown>)[field] = value;
      }
      if (Object.keys(diff).length === 0) return current;
      Object.assign(current, next);
      if (next.email !== undefined) {
        // An address an employee typed in is not proven: its owner verifies it.
        current.emailKey = emailIndex(next.email);
        current.emailVerifiedAt = null;
      }
      const user = await manager.save(current);
      if (next.email !== undefined) await this.mailVerification(manager, out, user);
      await out.audit(this.audit.event('user_updated', user, actor, { changes: diff }));
      return user;
    });
  }

  private async assertAvailable(
    manager: EntityManager,
    username: string | undefined,
    email: string | undefined,
  ): Promise<void> {
    if (
      username !== undefined &&
      (await manager.existsBy(User, { usernameKey: username.toLowerCase() }))
    ) {
      throw UsersErrors.USERNAME_TAKEN.error({ field: 'username' });
    }
    if (email !== undefined && (await manager.existsBy(User, { emailKey: emailIndex(email) }))) {
      throw UsersErrors.EMAIL_TAKEN.error({ field: 'email' });
    }
  }
}
