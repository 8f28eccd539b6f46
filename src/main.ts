import 'reflect-metadata';
import { ConfigError, loadConfig } from '@mfm/platform/config/load-config';
import { DataDirError, lockDataDir } from '@mfm/platform/database/data-dir-lock';
import { UnknownServiceError, selectServices } from '@mfm/platform/topology/select-services';
import { Logger } from 'nestjs-pino';
import { bootstrap } from './bootstrap';

/** Entrypoint: `node dist/main.js [--service users[,products…]]` (or SERVICE=…). */
async function main(): Promise<void> {
  let services;
  let config;
  try {
    services = selectServices(process.argv.slice(2), process.env);
    // `--classic` is CLASSIC_API=1 (the classic API profile).
    config = loadConfig(
      process.argv.includes('--classic') ? { ...process.env, CLASSIC_API: '1' } : process.env,
    );
    // One process per module's SQLite files: a second one is refused here, before anything
    // opens them, instead of failing later on "database is locked". Held until the process ends.
    const { dataDir, modules } = config;
    const sqliteModules = services.filter((module) => !modules[module].databaseUrl);
    if (sqliteModules.length > 0) lockDataDir(dataDir, sqliteModules);
  } catch (error) {
    if (
      error instanceof UnknownServiceError ||
      error instanceof ConfigError ||
      error instanceof DataDirError
    ) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const { app, context, httpPort } = await bootstrap(services, config);
  const base = `http://localhost:${httpPort}`;
  app.get(Logger).log({
    msg: `Micro Foods Market (${context.label}) is ready at ${base}, Swagger UI at ${base}/docs`,
    httpPort,
  });
  if (process.stdout.isTTY) {
    process.stdout.write(
      `\n  Micro Foods Market (${context.label}) is running.\n  API: ${base}/api\n  Swagger UI: ${base}/docs\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Micro Foods Market failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
