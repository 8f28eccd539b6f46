import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DEMO_BASE_PEOPLE, DEMO_PEOPLE, demoMoment } from '@mfm/demo/demo-store';
import { APP_CONFIG, AppConfig, seedsDemoHistory } from '@mfm/platform/config/app-config';
import { AppError } from '@mfm/platform/errors/error-body';
import { User } from './accounts/user.entity';
import { UserAccounts } from './accounts/user-accounts.service';

/** Names of the BOOTSTRAP_EMPLOYEE_* account (its password must not contain them). */
export const BOOTSTRAP_NAMES = { firstName: 'Store', lastName: 'Owner' } as const;

/**
 * On start: the first employee from BOOTSTRAP_EMPLOYEE_* (a real shop's way in: created only while
 * no employee exists, so a variable left set later never adds a second way in), and the demo
 * store's people unless seeding is off (only when missing): the demo employee and customer, and in
 * development everyone else too, each dated the day they joined. Restarts change nothing.
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
    const history = seedsDemoHistory(this.config);
    const now = new Date();
    for (const person of history ? DEMO_PEOPLE : DEMO_BASE_PEOPLE) {
      if (await this.accounts.findByUsername(person.username)) continue;
      const { id, role, username, password, firstName, lastName, email, joinedDaysAgo } = person;
      await this.accounts.create(
        { username, password, firstName, lastName, email },
        role,
        undefined,
        {
          emailVerified: true,
          seeded: { id, joinedAt: history ? demoMoment(now, joinedDaysAgo, '09:00') : now },
        },
      );
      this.logger.log({ msg: `created demo ${role} account "${username}"` });
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
