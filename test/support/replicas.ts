import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ROOT, renderTemplate } from '../deploy/compose';
import { freePorts } from './free-port';
import { httpRequest } from './http';
import { createModuleDatabases, dropDatabases } from './postgres';
import {
  HttpResult,
  MODULES,
  Module,
  RequestOptions,
  issueProductionBusCredentials,
  sharedDataKeys,
} from './store';

const ENTRY = resolve(__dirname, '../../dist/main.js');
const TEMPLATE = join(ROOT, 'docker', 'gateway', 'default.conf.template');
export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find(
  existsSync,
);

interface Replica {
  module: Module;
  index: number;
  httpPort: number;
  tcpPort: number;
  env: NodeJS.ProcessEnv;
  child?: ChildProcess;
  output: string;
}

/**
 * N replicas of every module on PostgreSQL (one database per module, shared by its replicas),
 * each a real `dist/main.js --service <module>` process, behind the repository's nginx gateway
 * with an upstream group of the replicas per module. Peers reach a module's replicas through
 * `<MODULE>_TCP_ADDRESSES`, called in turn.
 */
export class ReplicaSet {
  private nginx?: ChildProcess;
  private nginxLog = '';
  gatewayUrl = '';

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
          output: '',
        });
      }
    });
    const shared: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
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
      await Promise.all(replicas.filter((r) => r.index > 0).map((r) => set.startReplica(r)));
      await set.startGateway(ports[ports.length - 1]);
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
    const replica = this.replica(module, index);
    const child = replica.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
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
    return this.replica(module, index).output;
  }

  async close(): Promise<void> {
    this.nginx?.kill('SIGTERM');
    await Promise.all(this.replicas.map((r) => this.kill(r.module, r.index, 'SIGTERM')));
    await dropDatabases(this.databases.names);
    rmSync(this.root, { recursive: true, force: true });
  }

  private async startReplica(replica: Replica): Promise<void> {
    const child = spawn(process.execPath, [ENTRY, '--service', replica.module], {
      env: replica.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    replica.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (replica.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (replica.output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(
          `${replica.module}#${replica.index} exited: ${replica.output.slice(-3000)}`,
        );
      const ok = await fetch(`http://127.0.0.1:${replica.httpPort}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline)
        throw new Error(`${replica.module}#${replica.index} never started`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The repository's gateway template, rendered with one upstream group per module: nginx picks
   * a replica per request and passes a request that could not connect to the next one.
   */
  private async startGateway(port: number): Promise<void> {
    if (!NGINX) throw new Error('nginx is needed (apt-get install nginx)');
    const dir = join(this.root, 'nginx');
    mkdirSync(dir);
    const env: Record<string, string> = {
      GATEWAY_PORT: String(port),
      GATEWAY_RESOLVER: '127.0.0.1',
      NGINX_ENVSUBST_FILTER: '^(GATEWAY|[A-Z]+_UPSTREAM)',
    };
    const upstreams: string[] = [];
    for (const module of MODULES) {
      env[`${module.toUpperCase()}_UPSTREAM`] = `${module}_replicas`;
      upstreams.push(
        `upstream ${module}_replicas {`,
        ...this.replicas
          .filter((r) => r.module === module)
          .map((r) => `  server 127.0.0.1:${r.httpPort} max_fails=0;`),
        '}',
      );
    }
    writeFileSync(join(dir, 'default.conf'), renderTemplate(readFileSync(TEMPLATE, 'utf8'), env));
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (t) => `  ${t}_temp_path ${dir}/${t};`,
        ),
        ...upstreams.map((line) => `  ${line}`),
        `  include ${dir}/default.conf;`,
        '}',
      ].join('\n'),
    );
    this.nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.nginx.stderr?.on('data', (c: Buffer) => (this.nginxLog += c.toString()));
    this.gatewayUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (this.nginx.exitCode !== null) throw new Error(`nginx exited: ${this.nginxLog}`);
      const ok = await fetch(`${this.gatewayUrl}/gateway/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`nginx did not answer: ${this.nginxLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
