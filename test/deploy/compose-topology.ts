import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';
import { issueBusCredentials } from '@mfm/platform/bus/bus-certificates';
import { writeBusCredentials } from '@mfm/platform/bus/bus-credentials';
import { MODULE_NAMES } from '@mfm/platform/topology/module-names';
import { freePorts } from '../support/free-port';
import { LaunchedProcess, inheritedEnv } from '../support/launcher';
import { NGINX, NginxGateway } from '../support/nginx-gateway';
import {
  ComposeFile,
  Env,
  ROOT,
  fixedAddress,
  loadCompose,
  serviceEnv,
  startOrder,
} from './compose';

/** The PostgreSQL server of .ci/run's second run (E2E_DATABASE_URL_BASE), if any. */
export const PG_BASE = process.env.E2E_DATABASE_URL_BASE?.replace(/\/+$/, '') || undefined;

export interface ComposeTopologyOptions {
  /** Shell variables compose interpolates (NODE_ENV, POSTGRES_PASSWORD, …). */
  vars: Env;
  /** Compose profiles; `postgres` puts every module on a database of PG_BASE's server. */
  profiles?: string[];
}

/**
 * docker-compose.yml's split topology without a Docker engine: every module a real process of
 * dist/main.js with exactly the environment compose gives its service (service host names mapped
 * to 127.0.0.1, published and internal ports to free ones, volumes to temp folders, each service's
 * secrets copied to a folder of its own from bus credentials issued as docs/operations.md says), started in
 * compose's order once each dependency passes its own healthcheck, behind an nginx started from
 * the repository's gateway template as the nginx image renders it. One base URL, `url`, as a
 * browser or client of the compose deployment has.
 */
export class ComposeTopology {
  private readonly procs = new Map<string, LaunchedProcess>();
  private readonly envs = new Map<string, Env>();
  private gateway?: NginxGateway;

  private constructor(
    private readonly options: ComposeTopologyOptions,
    private readonly root: string,
  ) {}

  static async start(options: ComposeTopologyOptions): Promise<ComposeTopology> {
    if (!NGINX) throw new Error('nginx is missing (apt-get install nginx)');
    const topology = new ComposeTopology(options, mkdtempSync(join(tmpdir(), 'mfm-compose-')));
    try {
      await topology.boot();
    } catch (error) {
      await topology.close();
      throw error;
    }
    return topology;
  }

  /** The environment a service runs with here (compose's, localized). */
  env(service: string): Env {
    const env = this.envs.get(service);
    if (!env) throw new Error(`No service ${service}`);
    return env;
  }

  /** The gateway's base URL, e.g. http://127.0.0.1:12345. */
  get url(): string {
    return this.gateway?.url ?? '';
  }

  /** What a module's process has written so far. */
  output(service: string): string {
    return this.procs.get(service)?.output ?? '';
  }

  async startModule(service: string): Promise<void> {
    const env = this.env(service);
    this.procs.set(
      service,
      await LaunchedProcess.start({
        label: service,
        env: { ...inheritedEnv(), ...env },
        // The compose healthcheck itself decides when dependants may start (service_healthy).
        ready: () => healthy(env),
        timeoutMs: 60_000,
        pollMs: 200,
      }),
    );
  }

  async stopModule(service: string): Promise<void> {
    await this.procs.get(service)?.stop();
  }

  async close(): Promise<void> {
    await this.gateway?.close();
    await Promise.all([...this.procs.keys()].map((service) => this.stopModule(service)));
    if (this.usesPostgres) await dropModuleDatabases();
    rmSync(this.root, { recursive: true, force: true });
  }

  private get usesPostgres(): boolean {
    return (this.options.profiles ?? []).includes('postgres');
  }

  private async boot(): Promise<void> {
    const compose = loadCompose(this.options.vars);
    // What docs/operations.md asks for before the first `up`: the bus credentials in ./bus-tls.
    writeBusCredentials(
      join(this.root, 'bus-tls'),
      await issueBusCredentials({ modules: MODULE_NAMES }),
      { withCaKey: true },
    );
    const order = startOrder(compose, this.options.profiles).filter((s) => s !== 'postgres');
    const published = new Set<number>();
    for (const name of order) {
      const env = serviceEnv(compose.services[name]);
      for (const [key, value] of Object.entries(env))
        if (/_PORT$/.test(key) && /^\d+$/.test(value)) published.add(Number(value));
      for (const p of compose.services[name].ports ?? []) published.add(Number(p.split(':')[1]));
    }
    const free = await freePorts(published.size);
    const portMap = new Map([...published].map((p, i) => [p, free[i]]));
    for (const name of order)
      this.envs.set(
        name,
        this.localize(compose, serviceEnv(compose.services[name]), portMap, name),
      );

    if (this.usesPostgres) {
      // What the postgres image does on an empty volume: docker/postgres/init-databases.sql.
      await dropModuleDatabases();
      await withPostgres(async (client) => {
        const sql = readFileSync(join(ROOT, 'docker', 'postgres', 'init-databases.sql'), 'utf8');
        for (const statement of sql.replace(/--.*$/gm, '').split(';'))
          if (statement.trim()) await client.query(statement);
      });
    }

    for (const name of order) if (name !== 'gateway') await this.startModule(name);
    // The gateway: the repository's template rendered as the nginx image renders it.
    this.gateway = await NginxGateway.start({
      dir: join(this.root, 'nginx'),
      env: this.env('gateway'),
    });
  }

  /** Compose's environment with the engine's part done locally: names, ports, volumes, secrets. */
  private localize(
    compose: ComposeFile,
    env: Env,
    portMap: Map<number, number>,
    service: string,
  ): Env {
    const isService = (name: string) => Boolean(compose.services[name]);
    const local: Env = { ...env };
    for (const [key, value] of Object.entries(env)) {
      if (/_HOST$/.test(key) && key !== 'BIND_HOST' && isService(value)) local[key] = '127.0.0.1';
      if (/_PORT$/.test(key) && portMap.has(Number(value)))
        local[key] = String(portMap.get(Number(value)));
      if (/_UPSTREAM$/.test(key)) {
        const [host, port] = value.split(':');
        if (!isService(host)) throw new Error(`${service}: ${key} names no service (${host})`);
        local[key] = `127.0.0.1:${portMap.get(Number(port))}`;
      }
      if (/_DATABASE_URL$/.test(key) && value) {
        const url = new URL(value);
        if (url.host !== 'postgres:5432')
          throw new Error(`${service}: ${key} is not on the postgres service`);
        url.host = new URL(PG_BASE as string).host;
        local[key] = url.toString();
      }
    }
    // The gateway's fixed address is 127.0.0.1 here, as the modules' host names are.
    if (env.TRUST_PROXY) {
      const [network] = Object.keys(compose.networks);
      if (env.TRUST_PROXY !== fixedAddress(compose.services.gateway, network))
        throw new Error(`${service}: TRUST_PROXY is not the gateway's fixed address`);
      local.TRUST_PROXY = '127.0.0.1';
    }
    if (env.BIND_HOST) local.BIND_HOST = '127.0.0.1';
    if (env.DATA_DIR) local.DATA_DIR = join(this.root, `${service}-data`);
    // Compose's secrets: the service's files copied to where it reads them, nothing else.
    const secrets = compose.services[service].secrets ?? [];
    if (secrets.length > 0) {
      const dir = join(this.root, `${service}-secrets`);
      mkdirSync(dir, { recursive: true });
      for (const { source, target } of secrets) {
        if (dirname(target) !== env.BUS_TLS_DIR)
          throw new Error(`${service}: secret ${source} is not in BUS_TLS_DIR`);
        const file = compose.secrets?.[source]?.file as string;
        copyFileSync(join(this.root, file), join(dir, basename(target)));
      }
      local.BUS_TLS_DIR = dir;
    }
    return local;
  }
}

/**
 * The image's own HEALTHCHECK, run against a local process. Each run is a Node start, so while
 * the module's port (SERVICE's <MODULE>_HTTP_PORT) does not answer /health yet, the probe is a
 * request from here; the healthcheck itself still has the last word.
 */
async function healthy(env: Env): Promise<boolean> {
  const port = env[`${(env.SERVICE ?? '').toUpperCase()}_HTTP_PORT`];
  if (port) {
    const answered = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(3000),
    }).then(
      (res) => res.ok,
      () => false,
    );
    if (!answered) return false;
  }
  const check = spawn(process.execPath, [join(ROOT, 'docker', 'healthcheck.js')], {
    env: { PATH: process.env.PATH, ...env },
    timeout: 10_000,
    stdio: 'ignore',
  });
  return new Promise((resolve) => {
    check.on('error', () => resolve(false));
    check.on('exit', (code) => resolve(code === 0));
  });
}

async function withPostgres(work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: `${PG_BASE}/postgres` });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function dropModuleDatabases(): Promise<void> {
  await withPostgres(async (client) => {
    for (const module of MODULE_NAMES)
      await client.query(`DROP DATABASE IF EXISTS "${module}" WITH (FORCE)`);
  });
}
