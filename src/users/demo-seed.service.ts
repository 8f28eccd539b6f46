import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { Repository } from 'typeorm';
import { User } from './entities/user.entity';
import { UserAccounts } from './user-accounts.service';

/** Demo accounts, documented in the README. Never created in production (config refuses it). */
export const DEMO_ACCOUNTS = [
  {
    username: 'manager',
    password: 'FreshBasket-2026',
    firstName: 'Morgan',
    lastName: 'Green',
    email: 'manager@microfoods.example',
    role: 'employee',
  },
  {
    username: 'customer',
    password: 'HappyCart-2026',
    firstName: 'Casey',
    lastName: 'Brown',
    email: 'customer@microfoods.example',
    role: 'customer',
  },
] as const;

/** Names of the BOOTSTRAP_EMPLOYEE_* account (its password must not contain them). */
export const BOOTSTRAP_NAMES = { firstName: 'Store', lastName: 'Owner' } as const;

/**
 * On start: the first employee from BOOTSTRAP_EMPLOYEE_* (a real shop's way in: created only while
 * no employee exists, so a variable left set later never adds a second way in), and the demo
 * accounts unless seeding is off (only when missing). Restarts change nothing.
 */
@Injectable()
export class UsersSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersSeed.name);

  constructor(
    private readonly accounts: UserAccounts,
    @InjectRepository(User, 'users') private readonly users: Repository<User>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bootstrapEmployee();
    if (!this.config.seedDemo) return;
    for (const account of DEMO_ACCOUNTS) {
      if (await this.accounts.findByUsername(account.username)) continue;
      const { role, ...input } = account;
      await this.accounts.create(input, role, undefined, { emailVerified: true });
      this.logger.log({ msg: `created demo ${role} account "${account.username}"` });
    }
  }

  private async bootstrapEmployee(): Promise<void> {
    const wanted = this.config.bootstrapEmployee;
    if (!wanted) return;
    if (await this.users.existsBy({ role: 'employee' })) {
      if (!(await this.accounts.findByUsername(wanted.username))) {
        this.logger.log({
          msg: `BOOTSTRAP_EMPLOYEE_USERNAME "${wanted.username}" ignored: an employee exists already`,
        });
      }
      return;
    }
    try {
      await this.accounts.create({ ...wanted, ...BOOTSTRAP_NAMES }, 'employee', undefined, {
        emailVerified: true,
      });
    } catch (error) {
      // The process must not start half-configured; say which variable is wrong, not just a stack.
      if (error instanceof AppError) {
        const body = error.getResponse() as { code: string; message: string };
        throw new Error(
          `BOOTSTRAP_EMPLOYEE_*: cannot create the first employee: ${body.code}: ${body.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    this.logger.log({
      msg: `created the first employee account "${wanted.username}" (BOOTSTRAP_EMPLOYEE_USERNAME)`,
    });
  }
}
