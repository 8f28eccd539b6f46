import 'reflect-metadata';
import { ConfigError, loadConfig } from '@mfm/platform/config/load-config';
import { UnknownServiceError, selectServices } from '@mfm/platform/topology/select-services';
import { Logger } from 'nestjs-pino';
import { runBusCertsCommand } from '@mfm/platform/bus/bus-certs.command';
import { bootstrap } from './bootstrap';

/** Bad input (configuration, service names, bus credentials): a message and exit code 2. */
function exitOnBadInput(error: unknown): void {
  if (error instanceof UnknownServiceError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

/**
 * Entrypoint: `node dist/main.js [--service users[,products…]]` (or SERVICE=…), or
 * `node dist/main.js bus-certs --out <dir>` to issue the internal bus's certificates.
 */
async function main(): Promise<void> {
  if (process.argv[2] === 'bus-certs') {
    process.exitCode = await runBusCertsCommand(process.argv.slice(3));
    return;
  }
  let services;
  let config;
  try {
    services = selectServices(process.argv.slice(2), process.env);
    // `--classic` is CLASSIC_API=1 (the classic API profile).
    config = loadConfig(
      process.argv.includes('--classic') ? { ...process.env, CLASSIC_API: '1' } : process.env,
    );
  } catch (error) {
    exitOnBadInput(error);
    throw error;
  }

  const { app, context, httpPort } = await bootstrap(services, config).catch((error: unknown) => {
    exitOnBadInput(error);
    throw error;
  });
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
