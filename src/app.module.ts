import { DynamicModule, Module, Type } from '@nestjs/common';
import { PLATFORM_BINDINGS } from '@mfm/contracts/platform-bindings';
import { PlatformModule, PlatformOptions } from '@mfm/platform/platform.module';
import { ModuleName } from '@mfm/platform/topology/module-names';
import { LoggingModule } from './logging/logging.module';
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
        PlatformModule.forRoot({ ...options, bindings: PLATFORM_BINDINGS }),
        ...[...options.context.hosted].map((name) => MODULE_TYPES[name]),
      ],
    };
  }
}
