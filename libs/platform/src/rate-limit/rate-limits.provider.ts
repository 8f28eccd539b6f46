import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModuleName } from '../topology/module-names';
import { RateLimits } from './rate-limits';

/** The module's RateLimits, counted in the module's own database (PostgreSQL) or in memory. */
export function rateLimitsProvider(module: ModuleName): Provider {
  return {
    provide: RateLimits,
    inject: [APP_CONFIG, getDataSourceToken(module)],
    useFactory: (config: AppConfig, dataSource: DataSource) => new RateLimits(config, dataSource),
  };
}
