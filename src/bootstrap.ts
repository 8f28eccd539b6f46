import type { IncomingMessage, Server } from 'node:http';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@mfm/platform/config/app-config';
import { checkHostedRequirements } from '@mfm/platform/config/hosted-requirements';
import { RequestContext, resolveRequestId } from '@mfm/platform/context/request-context';
import { installAccessLog } from '@mfm/platform/logging/access-log';
import { DEFAULT_BODY_LIMIT, installBodyLimits } from '@mfm/platform/http/body-limits';
import { installBrowserEdge } from '@mfm/platform/http/browser-edge';
import { setupDocs } from '@mfm/platform/http/docs';
import { installJsonBodyParser } from '@mfm/platform/http/json-body-parser';
import { installNulGuard } from '@mfm/platform/http/nul-guard';
import { installWebApp } from '@mfm/platform/http/web-app';
import { Metrics } from '@mfm/platform/metrics/metrics';
import { installMetrics, startMetricsListener } from '@mfm/platform/http/metrics-endpoint';
import { installShutdownEdge } from '@mfm/platform/shutdown/graceful-shutdown';
import { ShutdownState } from '@mfm/platform/shutdown/shutdown-state';
import { InProcessBus, InProcessServer } from '@mfm/platform/rpc/in-process.transport';
import { busSocketClass } from '@mfm/platform/rpc/no-delay-json-socket';
import { BusCredentials, loadBusCredentials } from '@mfm/platform/bus/bus-credentials';
import { BusServer } from '@mfm/platform/bus/bus-server';
import { busServerTlsOptions } from '@mfm/platform/bus/bus-tls-options';
import { CallerPolicy } from '@mfm/platform/bus/caller-policy';
import { MESSAGE_CALLERS } from '@mfm/contracts/message-callers';
import { MODULE_PEERS } from '@mfm/contracts/module-peers';
import { ModuleName } from '@mfm/platform/topology/module-names';
import { ProcessContext } from '@mfm/platform/topology/process-context';
import {
  ClassicAdapter,
  classicAdapterToken,
  startClassicListener,
} from '@mfm/platform/classic/classic-http';
import { AppModule, MODULE_TYPES } from './app.module';
import { HOSTED_NEEDS } from './hosted-needs';

/** The built web app: dist/web, next to dist/src where this file runs from. */
const WEB_APP_ROOT = join(__dirname, '..', 'web');

/**
 * The classic API profile: each hosted module's classic adapter on that module's classic port
 * (one process hosting all five listens on all five). They are up before the main port, so a
 * store that answers /health also answers its classic routes, and they close with it.
 */
async function startClassicListeners(
  app: NestFastifyApplication,
  hosted: readonly ModuleName[],
  config: AppConfig,
): Promise<void> {
  await app.init();
  const servers: Server[] = [];
  for (const module of hosted) {
    const adapter = app.get<ClassicAdapter>(classicAdapterToken(module), { strict: false });
    servers.push(
      await startClassicListener(
        adapter,
        config.bindHost,
        config.classic.ports[module],
        config.trustProxy,
        { clear: config.nodeEnv !== 'production' },
      ),
    );
  }
  app.getHttpServer().once('close', () => servers.forEach((server) => server.close()));
}

/**
 * One TCP listener per hosted module, each showing its own module's certificate. A peer without
 * a certificate of the bus CA is closed during the handshake, so none of its bytes ever reach
 * the JSON framing, let alone a handler; a handshake that fails or stalls is closed, connections
 * are capped per listener and per address, and each message is checked against MESSAGE_CALLERS
 * for the module its certificate names.
 */
function connectBusListeners(
  app: NestFastifyApplication,
  hosted: readonly ModuleName[],
  config: AppConfig,
  credentials: BusCredentials,
  callers: CallerPolicy,
  metrics: Metrics,
): void {
  const socketClass = busSocketClass(config.bus);
  for (const module of hosted) {
    app.connectMicroservice<MicroserviceOptions>(
      {
        strategy: new BusServer({
          module,
          host: config.bindHost,
          port: config.modules[module].tcpPort,
          tlsOptions: busServerTlsOptions(credentials, module, config.bus.frameTimeoutMs),
          socketClass,
          limits: config.bus,
          callers,
          metrics,
        }),
      },
      { inheritAppConfig: true },
    );
  }
}

export interface RunningStore {
  app: NestFastifyApplication;
  context: ProcessContext;
  httpPort: number;
  shutdown: ShutdownState;
}

/**
 * The one place that turns a list of modules into a running process. Every process serves HTTP
 * for its modules and an in-process transport; a process that does not host all five also
 * listens on the TCP port of each module it hosts, so the others can reach it, and talks to them
 * over mutual TLS. Missing or invalid bus credentials throw a ConfigError before anything starts.
 */
export async function bootstrap(
  hosted: readonly ModuleName[],
  config: AppConfig,
): Promise<RunningStore> {
  checkHostedRequirements(hosted, config, HOSTED_NEEDS);
  const context = new ProcessContext(hosted);
  const busCredentials = context.isSingleProcess
    ? undefined
    : await loadBusCredentials(config, hosted);
  const bus = new InProcessBus();
  const metrics = new Metrics(context.label);
  const shutdown = new ShutdownState();
  const adapter = new FastifyAdapter({
    bodyLimit: DEFAULT_BODY_LIMIT,
    // A request that still arrives while the process stops gets the store's own 503
    // SHUTTING_DOWN (installShutdownEdge), not Fastify's bare one.
    return503OnClosing: false,
    // request.ip is the client: from X-Forwarded-For only when the hop is a trusted proxy.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    // A client trickling its request (slowloris) holds a socket at most this long; Node checks
    // open requests against it every second rather than every 30 s.
    requestTimeout: config.httpRequestTimeoutMs,
    http: {
      connectionsCheckingInterval: 1000,
      headersTimeout: Math.min(config.httpRequestTimeoutMs, 60_000),
    },
    // The raw request keeps the id too, so pino-http (which sees only the raw request) logs the same one.
    genReqId: (req: IncomingMessage) => {
      const id = resolveRequestId(req.headers['x-request-id']);
      (req as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      context,
      bus,
      busCredentials,
      metrics,
      shutdown,
      peers: MODULE_PEERS,
    }),
    adapter,
    {
      bufferLogs: true,
      // A module that cannot start (a full disk, a database that does not answer) reaches main,
      // which says so in one line, instead of Nest printing it with a stack and exiting 1.
      abortOnError: false,
      autoFlushLogs: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  if (config.nodeEnv === 'production' && !config.metrics.enabled)
    app
      .get(Logger)
      .log(
        '/metrics is off: in production it needs METRICS_TOKEN or a port of its own (METRICS_PORT)',
      );
  installJsonBodyParser(app);
  installBodyLimits(app.getHttpAdapter().getInstance());
  installNulGuard(app.getHttpAdapter().getInstance());
  // SIGTERM and SIGINT are handled by main.ts (a graceful shutdown), not by Nest's shutdown hooks.

  // Runs before every other hook: the request id is echoed and set as the context of the work.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('x-request-id', request.id);
      RequestContext.run({ requestId: request.id }, done);
    });
  installAccessLog(app.getHttpAdapter().getInstance());
  installShutdownEdge(app.getHttpAdapter().getInstance(), shutdown);
  installMetrics(app.getHttpAdapter().getInstance(), metrics, config);
  await installBrowserEdge(app, config);

  // One table of who may send which message, in one process as over the bus.
  const callers = new CallerPolicy(MESSAGE_CALLERS, metrics);
  app.connectMicroservice<MicroserviceOptions>(
    { strategy: new InProcessServer(bus, callers) },
    { inheritAppConfig: true },
  );
  if (busCredentials) connectBusListeners(app, hosted, config, busCredentials, callers, metrics);

  setupDocs(app, context, MODULE_TYPES);
  // The web app (dist/web) is served where sign-in is: the process hosting users, which is also
  // where a gateway in front of split processes sends `/`.
  if (context.isLocal('users')) {
    const served = await installWebApp(app.getHttpAdapter().getInstance(), WEB_APP_ROOT);
    if (!served) app.get(Logger).warn(`No web app at ${WEB_APP_ROOT}: run npm run build`);
  }
  await app.startAllMicroservices();
  const httpPort = hosted.length === 1 ? config.modules[hosted[0]].httpPort : config.httpPort;
  if (config.classic.enabled) await startClassicListeners(app, hosted, config);
  const metricsServer = await startMetricsListener(metrics, config, config.bindHost);
  if (metricsServer) app.getHttpServer().once('close', () => metricsServer.close());
  await app.listen(httpPort, config.bindHost);
  return { app, context, httpPort, shutdown };
}
