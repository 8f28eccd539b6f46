import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { UserAccounts } from './user-accounts.service';

/** Demo accounts, documented in the README. Never created in production (config refuses it). */
export const DEMO_ACCOUNTS = [
  { username: 'manager', password: 'FreshBasket-2026', firstName: 'Morgan', lastName: 'Green', email: 'manager@microfoods.example', role: 'employee' },
  { username: 'customer', password: 'HappyCart-2026', firstName: 'Casey', lastName: 'Brown', email: 'customer@microfoods.example', role: 'customer' },
] as const;

/**
 * On start: the first employee from BOOTSTRAP_EMPLOYEE_* (a real shop's way in), and the demo
 * accounts unless seeding is off. Both only when missing, so restarts change nothing.
 */
@Injectable()
export class UsersSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersSeed.name);

  constructor(
    private readonly accounts: UserAccounts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted = [
      ...(this.config.bootstrapEmployee ? [{ ...this.config.bootstrapEmployee, firstName: 'Store', lastName: 'Owner', role: 'employee' as const }] : []),
      ...(this.config.seedDemo ? DEMO_ACCOUNTS : []),
    ];
    for (const account of wanted) {
      if (await this.accounts.findByUsername(account.username)) continue;
      const { role, ...input } = account;
      await this.accounts.create(input, role);
      this.logger.log({ msg: `created ${role} account "${account.username}"` });
    }
  }
}
