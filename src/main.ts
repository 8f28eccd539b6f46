// First: tracing hooks into Node's HTTP and Fastify as they load (with no OTLP endpoint, nothing).
import './tracing.preload';
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@mfm/platform/config/load-config';
import { DataDirError, lockDataDir } from '@mfm/platform/database/data-dir-lock';
import { UnknownServiceError, selectServices } from '@mfm/platform/topology/select-services';
import { StartupError, diskFullMessage, isDiskFull } from '@mfm/platform/startup/startup-error';
import { stopTracing } from '@mfm/platform/tracing/tracing';
import { MODULE_SETTINGS } from './module-settings';

// The application itself (Nest, TypeORM, every module: most of a start's CPU) and the commands
// load only once the arguments and the configuration have passed, so that a refused start
// answers at once and costs little: an orchestrator restarting a misconfigured container, or a
// script probing for its exit code, spends a fraction of a second on it, not seconds.

/* eslint-disable @typescript-eslint/no-require-imports */
const later = {
  nest: () => require('@nestjs/common') as typeof import('@nestjs/common'),
  pino: () => require('nestjs-pino') as typeof import('nestjs-pino'),
  bootstrap: () => require('./bootstrap') as typeof import('./bootstrap'),
  gracefulShutdown: () =>
    require('../libs/platform/src/shutdown/graceful-shutdown') as typeof import('@mfm/platform/shutdown/graceful-shutdown'),
  busCertsCommand: () =>
    require('../libs/platform/src/bus/bus-certs.command') as typeof import('@mfm/platform/bus/bus-certs.command'),
  rotateKeysCommand: () =>
    require('./users/rotate-keys.command') as typeof import('./users/rotate-keys.command'),
  backupCommand: () => require('./backup.command') as typeof import('./backup.command'),
  backupArchive: () =>
    require('../libs/platform/src/backup/backup-archive') as typeof import('@mfm/platform/backup/backup-archive'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** What Nest buffered before a failed start (its own account of the error), once Nest is loaded. */
let flushNestLogs: () => void = () => undefined;

/**
 * Bad input (configuration, service names, bus credentials) or a start the operator can fix
 * (a full disk, an unreachable database): a message and exit code 2.
 */
function exitOnBadInput(error: unknown): void {
  if (
    ['backup', 'restore'].includes(process.argv[2]) &&
    error instanceof later.backupArchive().BackupRefused
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (
    error instanceof UnknownServiceError ||
    error instanceof ConfigError ||
    error instanceof DataDirError ||
    error instanceof StartupError
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

/**
 * Entrypoint: `node dist/main.js [--service users[,products…]]` (or SERVICE=…), or
 * `node dist/main.js bus-certs --out <dir>` to issue the internal bus's certificates, or
 * `node dist/main.js rotate-keys` to re-encrypt personal data under the newest data key, or
 * `node dist/main.js backup --out <file>` / `restore <file> --data-dir <empty folder>`.
 */
async function main(): Promise<void> {
  if (process.argv[2] === 'bus-certs') {
    const { runBusCertsCommand } = later.busCertsCommand();
    process.exitCode = await runBusCertsCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'rotate-keys') {
    const { runRotateKeysCommand } = later.rotateKeysCommand();
    process.exitCode = await runRotateKeysCommand().catch((error: unknown) => {
      exitOnBadInput(error);
      throw error;
    });
    return;
  }
  if (process.argv[2] === 'backup' || process.argv[2] === 'restore') {
    const { runBackupCommand, runRestoreCommand } = later.backupCommand();
    const run = process.argv[2] === 'backup' ? runBackupCommand : runRestoreCommand;
    process.exitCode = await run(process.argv.slice(3)).catch((error: unknown) => {
      exitOnBadInput(error);
      throw error;
    });
    return;
  }
  let services;
  let config;
  try {
    services = selectServices(process.argv.slice(2), process.env);
    // `--classic` is CLASSIC_API=1 (the classic API profile).
    config = loadConfig(
      process.argv.includes('--classic') ? { ...process.env, CLASSIC_API: '1' } : process.env,
      MODULE_SETTINGS,
    );
    // One process per module's SQLite files: a second one is refused here, before anything
    // opens them, instead of failing later on "database is locked". Held until the process ends.
    const { dataDir, modules } = config;
    const sqliteModules = services.filter((module) => !modules[module].databaseUrl);
    if (sqliteModules.length > 0) lockDataDir(dataDir, sqliteModules);
  } catch (error) {
    exitOnBadInput(error);
    throw error;
  }

  const { Logger: NestLogger } = later.nest();
  flushNestLogs = () => NestLogger.flush();
  const { bootstrap } = later.bootstrap();
  const { Logger } = later.pino();
  const { gracefulShutdown } = later.gracefulShutdown();
  const { app, context, httpPort, shutdown } = await bootstrap(services, config).catch(
    (error: unknown) => {
      exitOnBadInput(error);
      // Files written before the databases open (development keys, bus credentials) on a disk
      // without room: the same one line as a full disk under a module's database.
      if (isDiskFull(error))
        exitOnBadInput(new StartupError(diskFullMessage(services, config.dataDir, error)));
      throw error;
    },
  );
  const logger = app.get(Logger);
  const base = `http://localhost:${httpPort}`;
  logger.log({
    msg: `Micro Foods Market (${context.label}) is ready at ${base}, Swagger UI at ${base}/docs`,
    httpPort,
  });

  // SIGTERM (an orchestrator) or SIGINT (Ctrl-C): drain, then exit 0; a second signal stops at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    logger.log({ msg: `${signal}: draining, then stopping`, timeoutMs: config.shutdownTimeoutMs });
    gracefulShutdown(app, shutdown, config.shutdownTimeoutMs)
      .then(async (report) => {
        if (!report.clean) logger.warn({ msg: 'stopped before everything drained', ...report });
        await stopTracing();
        process.exit(report.clean ? 0 : 1);
      })
      .catch((error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.stdout.isTTY) {
    process.stdout.write(
      `\n  Micro Foods Market (${context.label}) is running.\n  API: ${base}/api\n  Swagger UI: ${base}/docs\n\n`,
    );
  }
}

/** A port this process cannot take: in use by another process, or privileged. One line, exit 2. */
function portProblem(error: unknown): string | undefined {
  const { code, address, port } = (error ?? {}) as {
    code?: unknown;
    address?: string;
    port?: number;
  };
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return undefined;
  const where = `${address ?? ''}:${port ?? '?'}`;
  return code === 'EADDRINUSE'
    ? `Cannot listen on ${where}: the port is already in use. Stop the process that holds it, or choose another port (HTTP_PORT, <MODULE>_HTTP_PORT, <MODULE>_TCP_PORT, CLASSIC_<MODULE>_PORT).`
    : `Cannot listen on ${where}: permission denied. Choose a port above 1023, or a BIND_HOST this process may use.`;
}

main().catch((error: unknown) => {
  const problem = portProblem(error);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  flushNestLogs();
  process.stderr.write(
    `Micro Foods Market failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
