import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditActor } from '@mfm/contracts/logging.contract';
import type { Role } from '@mfm/contracts/users.contract';
import { AppError } from '@mfm/platform/errors/error-body';
import { Outbox } from '@mfm/platform/outbox/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { randomUUID } from 'node:crypto';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { RegisterDto } from './dto/register.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { User } from './entities/user.entity';
import { PasswordHasher } from './password/password-hasher.service';
import { passwordProblems } from './password/password-policy';
import { UsersAudit } from './users-audit.service';

const EDITABLE_FIELDS = ['firstName', 'lastName', 'email', 'role', 'enabled'] as const;
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
  ) {}

  /**
   * A new account with its `user_created` event. `seeded` gives the demo store's people their
   * fixed id and the day they joined.
   */
  async create(
    input: RegisterDto,
    role: Role,
    actor?: AuditActor,
    seeded?: { id: string; joinedAt: Date },
  ): Promise<User> {
    const problems = passwordProblems(input.password, input);
    if (problems.length > 0) {
      throw new AppError(400, 'WEAK_PASSWORD', `The password ${problems.join(', ')}`, {
        rules: problems,
      });
    }
    const passwordHash = await this.hasher.hash(input.password);
    return this.outbox.write(async (manager, out) => {
      await this.assertAvailable(manager, input.username, input.email);
      const created = manager.create(User, {
        id: seeded?.id ?? randomUUID(),
        username: input.username,
        usernameKey: input.username.toLowerCase(),
        email: input.email,
        emailKey: input.email.toLowerCase(),
        firstName: input.firstName,
        lastName: input.lastName,
        passwordHash,
        role,
        enabled: true,
        ...(seeded && { createdAt: seeded.joinedAt, updatedAt: seeded.joinedAt }),
      });
      const user = await manager.save(created);
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

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ usernameKey: username.trim().toLowerCase() });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async get(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new AppError(404, 'USER_NOT_FOUND', `No user with id ${id}`);
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
      throw new AppError(
        422,
        'SELF_LOCKOUT',
        'You cannot disable your own account or remove your own employee role',
      );
    }
    return this.outbox.write(async (manager, out) => {
      const current = await manager.findOneBy(User, { id });
      if (!current) throw new AppError(404, 'USER_NOT_FOUND', `No user with id ${id}`);
      if (changes.email !== undefined && changes.email.toLowerCase() !== current.emailKey) {
        await this.assertAvailable(manager, undefined, changes.email);
      }
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      const next: Partial<Pick<User, EditableField>> = {};
      for (const field of EDITABLE_FIELDS) {
        // The DTO instance has every declared field as an own property, `undefined` when not sent:
        // only the fields actually given are applied (copying the rest would blank the entity).
        const value = changes[field];
        if (value === undefined || value === current[field]) continue;
        diff[field] = { from: current[field], to: value };
        (next as Record<EditableField, unknown>)[field] = value;
      }
      if (Object.keys(diff).length === 0) return current;
      Object.assign(current, next);
      if (next.email !== undefined) current.emailKey = next.email.toLowerCase();
      const user = await manager.save(current);
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
      throw new AppError(409, 'USERNAME_TAKEN', 'That username is taken', { field: 'username' });
    }
    if (email !== undefined && (await manager.existsBy(User, { emailKey: email.toLowerCase() }))) {
      throw new AppError(409, 'EMAIL_TAKEN', 'That email address is already registered', {
        field: 'email',
      });
    }
  }
}
