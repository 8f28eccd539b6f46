import { join } from 'node:path';
import { DynamicModule, Provider } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, MixedList } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModuleName } from '../topology/module-names';
import { Metrics } from '../metrics/metrics';
import { StorageProbe1764400000000 } from './storage-probe.migration';
import { createFolder } from './create-folder';
import { watchDatabase } from './database-metrics';
import { openModuleDataSource } from './open-data-source';
import { TransactionRunner } from './transaction-runner';

export interface ModuleDatabaseOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  /** The migrations, or a function of the configuration that gives them (keys a migration needs). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[] | ((config: AppConfig) => Function[]);
}

export const transactionRunnerToken = (module: ModuleName): string =>
  `TRANSACTION_RUNNER:${module}`;

/** Path of a module's SQLite file: one file per module, never shared between processes. */
export const sqliteFile = (config: AppConfig, module: ModuleName): string =>
  join(config.dataDir, `${module}.sqlite`);

/**
 * The DataSource a module owns, named after it, migrated on start (never synchronised), plus its
 * TransactionRunner. Other modules cannot reach it: they have no reference to its name's token.
 */
export class ModuleDatabase {}

/**
 * Migrations every module database runs after the module's own, for tables that other parts of the
 * platform keep there (PlatformModule provides them; the database wiring does not know those parts).
 */
export const EXTRA_MIGRATIONS = 'MODULE_DATABASE_EXTRA_MIGRATIONS';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ExtraMigrations = Function[];

export function moduleDatabase(module: ModuleName, options: ModuleDatabaseOptions): DynamicModule {
  const runner: Provider = {
    provide: transactionRunnerToken(module),
    inject: [getDataSourceToken(module), { token: Metrics, optional: true }],
    useFactory: (dataSource: DataSource, metrics?: Metrics) => {
      const runner = new TransactionRunner(dataSource, module);
      if (metrics) watchDatabase(metrics, module, dataSource, runner);
      return runner;
    },
  };
  const migrationsOf = (config: AppConfig, extra: ExtraMigrations) => [
    ...(Array.isArray(options.migrations) ? options.migrations : options.migrations(config)),
    StorageProbe1764400000000,
    ...extra,
  ];
  const root = TypeOrmModule.forRootAsync({
    name: module,
    inject: [APP_CONFIG, { token: EXTRA_MIGRATIONS, optional: true }],
    useFactory: (config: AppConfig, extra?: ExtraMigrations) => ({
      ...moduleDataSourceOptions(
        module,
        config,
        options.entities,
        migrationsOf(config, extra ?? []),
      ),
      // openModuleDataSource retries what is worth retrying, one line per attempt.
      toRetry: () => false,
    }),
    dataSourceFactory: (dataSourceOptions) => {
      if (!dataSourceOptions) throw new Error(`No database options for ${module}`);
      return openModuleDataSource(module, dataSourceOptions);
    },
  });
  const feature = TypeOrmModule.forFeature(options.entities as never[], module);
  return {
    module: ModuleDatabase,
    imports: [root, feature],
    providers: [runner],
    exports: [feature, runner],
  };
}

/**
 * The TypeORM options of a module's database: PostgreSQL when `<MODULE>_DATABASE_URL` is set,
 * else its SQLite file (commands such as rotate-keys open it the same way).
 */
export function moduleDataSourceOptions(
  module: ModuleName,
  config: AppConfig,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[],
) {
  const url = config.modules[module].databaseUrl;
  if (url) {
    // PostgreSQL: the same entities and migrations; a small pool per module and process.
    return {
      type: 'postgres' as const,
      url,
      entities,
      migrations,
      migrationsRun: true,
      synchronize: false,
      poolSize: 10,
      connectTimeoutMS: 10_000,
      applicationName: `mfm-${module}`,
    };
  }
  createFolder(config.dataDir);
  return {
    type: 'better-sqlite3' as const,
    database: sqliteFile(config, module),
    entities: entities,
    migrations,
    migrationsRun: true,
    synchronize: false,
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // A 2xx means the change is on disk: every commit is synced, also under WAL (SQLite
      // builds may default WAL databases to NORMAL, which can lose the last commits on
      // power loss).
      db.pragma('synchronous = FULL');
    },
  };
}
