import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueBusCredentials } from '@mfm/platform/bus/bus-certificates';
import { writeBusCredentials } from '@mfm/platform/bus/bus-credentials';
import { freePorts } from './free-port';
import { HttpResult, RequestOptions, httpRequest } from './http';
import { Exit, LaunchedProcess, OutputBuffer, answersHealth, inheritedEnv } from './launcher';
import { createModuleDatabases, dropDatabases } from './postgres';

export type { HttpResult, RequestOptions } from './http';

export const MODULES = ['users', 'products', 'search', 'orders', 'logging'] as const;
export type Module = (typeof MODULES)[number];
export type Topology = 'single' | 'split';
const forced = ((): Topology | undefined => {
  const wanted = process.env.E2E_TOPOLOGY;
  if (!wanted) return undefined;
  if (wanted === 'single' || wanted === 'split') return wanted;
  throw new Error(`E2E_TOPOLOGY must be single or split, not ${wanted}`);
})();

/**
 * Both topologies, for suites whose subject is the topology: the transport, the bus, the saga
 * across processes, replicas, the classic peers, start-up per service, health of remote peers,
 * request ids and traces across TCP, the split-mode docs and the browser journeys.
 * `E2E_TOPOLOGY=single|split` runs every suite in that one (CI's PostgreSQL run: its subject is
 * the database).
 */
export const TOPOLOGIES: readonly Topology[] = forced ? [forced] : ['single', 'split'];

/**
 * One topology, for suites whose subject is a behaviour (a rule of accounts, catalogue, search,
 * input, ...). The in-process bus validates, clones and maps errors exactly as TCP does, which
 * the transport suite proves in both, so a rule shown in one process holds in five.
 * `E2E_TOPOLOGY=split` runs them in split mode instead.
 */
export const BEHAVIOUR_TOPOLOGIES: readonly Topology[] = [forced ?? 'single'];

/**
 * The store of the enclosing block: started before its tests (`onStarted` receives it), closed
 * after them.
 */
export function useStore(
  topology: Topology,
  onStarted: (store: Store) => void,
  options: StoreOptions = {},
): void {
  let store: Store | undefined;
  beforeAll(async () => {
    store = await Store.start(topology, options);
    onStarted(store);
  });
  afterAll(async () => {
    await store?.close();
  });
}

/** Data folders under a store's dataRoot: the five split processes share one. */
const DATA_FOLDER: Record<Topology, string> = { single: 'all', split: 'split' };

export interface StoreOptions {
  /** Extra environment for every process (e.g. a short RPC_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** Folder to create the store's data folder in (default: the system's temporary folder). */
  dataParent?: string;
  /** Every module on its SQLite file even in PostgreSQL runs (tests of the files themselves). */
  sqliteOnly?: boolean;
  /** An existing data folder to start on (a restored backup), instead of a new one. */
  dataDir?: string;
  /**
   * Split: each process its own data folder, as on machines of their own (the bus credentials
   * in one folder they share, as a deployment hands them out; give them the same data keys).
   */
  dataDirPerProcess?: boolean;
}

interface Proc {
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  running?: LaunchedProcess;
  /** Its output across restarts. */
  output: OutputBuffer;
  httpPort: number;
}

/**
 * The real application, started from dist/main.js as child processes: one process hosting all
 * five modules, or five processes talking over real TCP (mutual TLS) with their own ports and one
 * shared data folder (each module its own SQLite file, all of them the development bus
 * credentials generated there on first start).
 * Suites address routes by module (`store.request('users', 'POST', '/api/auth/login')`), so one
 * suite runs unchanged against both topologies.
 */
export class Store {
  private constructor(
    readonly topology: Topology,
    readonly dataRoot: string,
    private readonly procs: Map<string, Proc>,
  ) {}

  /** PostgreSQL databases of this store (E2E_DATABASE_URL_BASE runs only), dropped on close. */
  private databases: string[] = [];

  static async start(topology: Topology, options: StoreOptions = {}): Promise<Store> {
    const dataRoot = mkdtempSync(join(options.dataParent ?? tmpdir(), `mfm-${topology}-`));
    const ports = await freePorts(1 + MODULES.length * 2);
    const shared: NodeJS.ProcessEnv = {
      ...inheritedEnv(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      BIND_HOST: '127.0.0.1',
      HTTP_PORT: String(ports[0]),
    };
    MODULES.forEach((module, i) => {
      const prefix = module.toUpperCase();
      shared[`${prefix}_HOST`] = '127.0.0.1';
      shared[`${prefix}_HTTP_PORT`] = String(ports[1 + i]);
      shared[`${prefix}_TCP_PORT`] = String(ports[1 + MODULES.length + i]);
    });
    const databases = options.sqliteOnly
      ? { env: {}, names: [] }
      : await createModuleDatabases(MODULES);
    Object.assign(shared, databases.env);
    Object.assign(shared, options.env);
    if (shared.NODE_ENV === 'production') {
      for (const [name, value] of Object.entries(productionSecrets())) shared[name] ??= value;
    }
    if (topology === 'split' && shared.NODE_ENV === 'production' && !shared.BUS_TLS_DIR) {
      // Production generates no bus credentials: issue them as a deployment does.
      shared.BUS_TLS_DIR = join(dataRoot, 'bus-tls');
      await issueProductionBusCredentials(shared.BUS_TLS_DIR);
    }

    const procs = new Map<string, Proc>();
    if (topology === 'single') {
      procs.set('all', {
        label: 'all',
        args: [],
        env: { ...shared, DATA_DIR: options.dataDir ?? join(dataRoot, DATA_FOLDER.single) },
        output: { text: '' },
        httpPort: ports[0],
      });
    } else {
      if (options.dataDirPerProcess) shared.BUS_TLS_DIR ??= join(dataRoot, 'bus-tls');
      const dataDirOf = (module: string) =>
        options.dataDir ??
        join(dataRoot, options.dataDirPerProcess ? `machine-${module}` : DATA_FOLDER.split);
      MODULES.forEach((module, i) =>
        procs.set(module, {
          label: module,
          args: ['--service', module],
          env: { ...shared, DATA_DIR: dataDirOf(module) },
          output: { text: '' },
          httpPort: ports[1 + i],
        }),
      );
    }
    const store = new Store(topology, dataRoot, procs);
    store.databases = databases.names;
    // Every start settles before a failure closes the store, so no process is left running.
    const starts = await Promise.allSettled([...procs.keys()].map((l) => store.startProcess(l)));
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) {
      await store.close();
      throw failed.reason;
    }
    return store;
  }

  /** Base URL that serves a module's routes in this topology. */
  baseUrl(module: Module): string {
    return `http://127.0.0.1:${this.proc(module).httpPort}`;
  }

  /** The PostgreSQL URL a module runs on (E2E_DATABASE_URL_BASE runs), else undefined (SQLite). */
  databaseUrl(module: Module): string | undefined {
    return this.proc(module).env[`${module.toUpperCase()}_DATABASE_URL`] || undefined;
  }

  /** The environment of the process hosting a module: what a command run beside it is given. */
  envOf(module: Module): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.proc(module).env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
  }

  /** The data folder of the process hosting a module (its SQLite file is `<dataDir>/<module>.sqlite`). */
  dataDir(module: Module): string {
    return this.proc(module).env.DATA_DIR as string;
  }

  /** Where the split processes read their bus credentials (generated there on first start). */
  busTlsDir(module: Module = 'users'): string {
    const env = this.proc(module).env;
    return env.BUS_TLS_DIR ?? join(env.DATA_DIR as string, 'tls');
  }

  /** The TCP port a module's message patterns listen on (split mode only). */
  tcpPort(module: Module): number {
    return Number(this.proc(module).env[`${module.toUpperCase()}_TCP_PORT`]);
  }

  /** Label of the process hosting a module: 'all' in one process, the module's name in split mode. */
  processOf(module: Module): string {
    return this.topology === 'single' ? 'all' : module;
  }

  async request<T = any>(
    module: Module,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResult<T>> {
    return httpRequest<T>(this.baseUrl(module), method, path, options);
  }

  /** Everything a process has written to stdout and stderr so far (JSON log lines). */
  output(label: string): string {
    return this.procs.get(label)?.output.text ?? '';
  }

  /** Parsed JSON log lines of a process. */
  logLines(label: string): Array<Record<string, unknown>> {
    return this.output(label)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  /** OS process id of a running process (for /proc inspection or SIGSTOP/SIGCONT), undefined once stopped. */
  pid(label: string): number | undefined {
    return this.procs.get(label)?.running?.pid;
  }

  /** Sends a signal without waiting for an exit: SIGSTOP freezes a process (a peer that hangs), SIGCONT resumes it. */
  signal(label: string, signal: NodeJS.Signals): void {
    const pid = this.pid(label);
    if (pid === undefined) throw new Error(`${label} is not running`);
    process.kill(pid, signal);
  }

  /**
   * Stops one process (split mode: one module) and tells how it ended. `signal` SIGKILL simulates
   * a crash; SIGTERM lets it drain (killed after `graceMs` if it has not exited by then).
   */
  async stop(
    label: string,
    signal: NodeJS.Signals = 'SIGTERM',
    graceMs = 10_000,
  ): Promise<Exit | undefined> {
    const proc = this.procs.get(label);
    const outcome = await proc?.running?.stop(signal, graceMs);
    if (proc) proc.running = undefined;
    return outcome;
  }

  /** Starts a stopped process again, with the same data and environment (plus `env` changes). */
  async restart(label: string, env: Record<string, string> = {}): Promise<void> {
    await this.stop(label);
    const proc = this.procs.get(label);
    if (proc) {
      // '' removes a variable.
      for (const [name, value] of Object.entries(env)) {
        if (value === '') delete proc.env[name];
        else proc.env[name] = value;
      }
    }
    await this.startProcess(label);
  }

  async close(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((label) => this.stop(label)));
    rmSync(this.dataRoot, { recursive: true, force: true });
    await dropDatabases(this.databases);
  }

  private proc(module: Module): Proc {
    const proc = this.procs.get(this.processOf(module));
    if (!proc) throw new Error(`No process hosts ${module}`);
    return proc;
  }

  private async startProcess(label: string): Promise<void> {
    const proc = this.procs.get(label);
    if (!proc) throw new Error(`Unknown process ${label}`);
    proc.running = await LaunchedProcess.start({
      label,
      args: proc.args,
      env: proc.env,
      ready: () => answersHealth(proc.httpPort),
      output: proc.output,
    });
  }
}

/**
 * What production needs besides the bus credentials: a mail server (here a closed port: mail waits
 * in the outbox and no request fails) and the keys of personal data at rest.
 */
export function productionSecrets(): Record<string, string> {
  return { SMTP_URL: 'smtp://127.0.0.1:9', ...sharedDataKeys() };
}

/**
 * Data keys to give every process that shares a users database: each would otherwise create its
 * own development keys in its data folder, and could not read what the others sealed.
 */
export function sharedDataKeys(): Record<string, string> {
  return {
    DATA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    DATA_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}

/** What `node dist/main.js bus-certs --out <dir>` writes, for processes with NODE_ENV=production. */
export async function issueProductionBusCredentials(dir: string): Promise<void> {
  writeBusCredentials(dir, await issueBusCredentials({ modules: MODULES }), { withCaKey: false });
}
