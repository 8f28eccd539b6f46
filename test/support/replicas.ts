import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePorts } from './free-port';
import { httpRequest } from './http';
import { LaunchedProcess, OutputBuffer, answersHealth, inheritedEnv } from './launcher';
import { NginxGateway } from './nginx-gateway';
import { createModuleDatabases, dropDatabases } from './postgres';
import {
  HttpResult,
  MODULES,
  Module,
  RequestOptions,
  issueProductionBusCredentials,
  sharedDataKeys,
} from './store';

interface Replica {
  module: Module;
  index: number;
  httpPort: number;
  tcpPort: number;
  env: NodeJS.ProcessEnv;
  running?: LaunchedProcess;
  /** Its output across restarts. */
  output: OutputBuffer;
}

/**
 * N replicas of every module on PostgreSQL (one database per module, shared by its replicas),
 * each a real `dist/main.js --service <module>` process, behind the repository's nginx gateway
 * with an upstream group of the replicas per module. Peers reach a module's replicas through
 * `<MODULE>_TCP_ADDRESSES`, called in turn.
 */
export class ReplicaSet {
  private gateway?: NginxGateway;

  private constructor(
    private readonly root: string,
    readonly replicas: Replica[],
    private readonly databases: { env: Record<string, string>; names: string[] },
  ) {}

  static async start(count: number, env: Record<string, string> = {}): Promise<ReplicaSet> {
    const root = mkdtempSync(join(tmpdir(), 'mfm-replicas-'));
    const databases = await createModuleDatabases(MODULES);
    const busTls = join(root, 'bus-tls');
    await issueProductionBusCredentials(busTls);
    const ports = await freePorts(MODULES.length * count * 2 + 1);
    const replicas: Replica[] = [];
    MODULES.forEach((module, m) => {
      for (let index = 0; index < count; index++) {
        const at = (m * count + index) * 2;
        replicas.push({
          module,
          index,
          httpPort: ports[at],
          tcpPort: ports[at + 1],
          env: {},
          output: { text: '' },
        });
      }
    });
    const shared: NodeJS.ProcessEnv = {
      ...inheritedEnv(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      BIND_HOST: '127.0.0.1',
      BUS_TLS_DIR: busTls,
      TRUST_PROXY: '127.0.0.1',
      ...databases.env,
      ...sharedDataKeys(),
      // The buyers are new accounts; confirming their addresses is the mail suites' subject.
      ORDERS_REQUIRE_VERIFIED_EMAIL: 'false',
      ...env,
    };
    for (const module of MODULES) {
      const own = replicas.filter((r) => r.module === module);
      shared[`${module.toUpperCase()}_TCP_ADDRESSES`] = own
        .map((r) => `127.0.0.1:${r.tcpPort}`)
        .join(',');
    }
    for (const replica of replicas) {
      const prefix = replica.module.toUpperCase();
      replica.env = {
        ...shared,
        DATA_DIR: join(root, `${replica.module}-${replica.index}`),
        [`${prefix}_HTTP_PORT`]: String(replica.httpPort),
        [`${prefix}_TCP_PORT`]: String(replica.tcpPort),
      };
    }
    const set = new ReplicaSet(root, replicas, databases);
    try {
      // The first replica of each module first (it migrates its database and seeds), then the rest.
      for (const module of MODULES) await set.startReplica(set.replica(module, 0));
      // Every start settles before a failure closes the set, so no replica is left running.
      const starts = await Promise.allSettled(
        replicas.filter((r) => r.index > 0).map((r) => set.startReplica(r)),
      );
      for (const start of starts) if (start.status === 'rejected') throw start.reason;
      set.gateway = await set.startGateway(ports[ports.length - 1]);
    } catch (error) {
      await set.close();
      throw error;
    }
    return set;
  }

  replica(module: Module, index: number): Replica {
    const found = this.replicas.find((r) => r.module === module && r.index === index);
    if (!found) throw new Error(`no replica ${module}#${index}`);
    return found;
  }

  get gatewayUrl(): string {
    return this.gateway?.url ?? '';
  }

  /** Through the gateway (any replica), or straight to one replica. */
  request<T = any>(
    target: 'gateway' | { module: Module; index: number },
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResult<T>> {
    const base =
      target === 'gateway'
        ? this.gatewayUrl
        : `http://127.0.0.1:${this.replica(target.module, target.index).httpPort}`;
    return httpRequest<T>(base, method, path, options);
  }

  /** kill -9 (or another signal) of one replica; resolves when it has exited. */
  async kill(module: Module, index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.replica(module, index).running?.stop(signal, 30_000);
  }

  async restart(module: Module, index: number): Promise<void> {
    await this.kill(module, index, 'SIGTERM');
    await this.startReplica(this.replica(module, index));
  }

  /** A query on a module's PostgreSQL database. */
  async query<T = Record<string, unknown>>(
    module: Module,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const client = new Client({
      connectionString: this.databases.env[`${module.toUpperCase()}_DATABASE_URL`],
    });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  output(module: Module, index: number): string {
    return this.replica(module, index).output.text;
  }

  async close(): Promise<void> {
    await this.gateway?.close();
    await Promise.all(this.replicas.map((r) => this.kill(r.module, r.index, 'SIGTERM')));
    await dropDatabases(this.databases.names);
    rmSync(this.root, { recursive: true, force: true });
  }

  private async startReplica(replica: Replica): Promise<void> {
    replica.running = await LaunchedProcess.start({
      label: `${replica.module}#${replica.index}`,
      args: ['--service', replica.module],
      env: replica.env,
      ready: () => answersHealth(replica.httpPort),
      timeoutMs: 60_000,
      output: replica.output,
    });
  }

  /**
   * The repository's gateway template, rendered with one upstream group per module: nginx picks
   * a replica per request and passes a request that could not connect to the next one.
   */
  private startGateway(port: number): Promise<NginxGateway> {
    const env: Record<string, string> = {
      GATEWAY_PORT: String(port),
      GATEWAY_RESOLVER: '127.0.0.1',
      NGINX_ENVSUBST_FILTER: '^(GATEWAY|[A-Z]+_UPSTREAM)',
    };
    const upstreams: Record<string, string[]> = {};
    for (const module of MODULES) {
      env[`${module.toUpperCase()}_UPSTREAM`] = `${module}_replicas`;
      upstreams[`${module}_replicas`] = this.replicas
        .filter((r) => r.module === module)
        .map((r) => `127.0.0.1:${r.httpPort}`);
    }
    return NginxGateway.start({ dir: join(this.root, 'nginx'), env, upstreams });
  }
}
