import { DynamicModule, Module, Type } from '@nestjs/common';
import { PLATFORM_BINDINGS } from '@mfm/contracts/platform-bindings';
import { BACKUP_PLAN_TOKEN } from '@mfm/platform/backup/store-backup';
import { MAIL_TEMPLATES } from '@mfm/platform/mail/mail-renderer';
import { PlatformModule, PlatformOptions } from '@mfm/platform/platform.module';
import { ModuleName } from '@mfm/platform/topology/module-names';
import { BACKUP_PLAN } from './backup-plan';
import { LoggingModule } from './logging/logging.module';
import { STORE_MAIL_TEMPLATES } from './mail-templates';
import { OrdersModule } from './orders/orders.module';
import { ProductsModule } from './products/products.module';
import { SearchModule } from './search/search.module';
import { UsersModule } from './users/users.module';

/** The Nest module of each bounded context. */
export const MODULE_TYPES: Record<ModuleName, Type> = {
  users: UsersModule,
  products: ProductsModule,
  search: SearchModule,
  orders: OrdersModule,
  logging: LoggingModule,
};

/**
 * The root of every process: the platform (bound to what it asks of the modules) plus the
 * modules it hosts. The single-process root is the union of the five; a split process has one.
 * Nothing else differs between topologies.
 */
@Module({})
export class AppModule {
  static forRoot(options: Omit<PlatformOptions, 'bindings'>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          ...options,
          // The mails are the modules' own: each renders the mail it sends.
          bindings: [
            ...PLATFORM_BINDINGS,
            { provide: MAIL_TEMPLATES, useValue: STORE_MAIL_TEMPLATES },
            // What a backup holds and in which order (it knows every module's schema).
            { provide: BACKUP_PLAN_TOKEN, useValue: BACKUP_PLAN },
          ],
        }),
        ...[...options.context.hosted].map((name) => MODULE_TYPES[name]),
      ],
    };
  }
}
