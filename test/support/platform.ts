import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { Server, Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-port';
import { httpRequest } from './http';
import { LaunchedProcess, answersHealth, inheritedEnv } from './launcher';
import { HttpResult, MODULES, Module, RequestOptions } from './store';

/**
 * Helpers for the platform suites (test/e2e/platform-*.e2e-spec.ts): polling, TCP probes, the
 * sockets a process holds (read from /proc), and launching dist/main.js with any arguments.
 */

/**
 * Polls until `probe` returns something other than undefined/false. A child's stdout reaches the
 * test through a pipe, later than the HTTP answer the same work produced: log assertions poll.
 */
export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 'open' when something accepts a TCP connection on the port, 'refused' when nothing listens. */
export function tcpProbe(port: number, host = '127.0.0.1'): Promise<'open' | 'refused'> {
  return new Promise((done, fail) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      done('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'ECONNREFUSED') done('refused');
      else fail(error);
    });
  });
}

export interface TcpSocketInfo {
  localPort: number;
  remotePort: number;
  /** LISTEN, ESTABLISHED, TIME_WAIT, CLOSE_WAIT, or the kernel's hex code for other states. */
  state: string;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '0A': 'LISTEN',
  '06': 'TIME_WAIT',
  '08': 'CLOSE_WAIT',
};

/** The TCP sockets a process holds open right now (Linux /proc), listening or connected. */
export function tcpSocketsOf(pid: number): TcpSocketInfo[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // the descriptor closed while we looked
    }
  }
  const sockets: TcpSocketInfo[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || !inodes.has(cols[9])) continue;
      const port = (address: string) => parseInt(address.split(':')[1], 16);
      sockets.push({
        localPort: port(cols[1]),
        remotePort: port(cols[2]),
        state: TCP_STATES[cols[3]] ?? cols[3],
      });
    }
  }
  return sockets;
}

export interface PortPlan {
  http: number;
  modules: Record<Module, { http: number; tcp: number }>;
}

/**
 * One process of dist/main.js started with any arguments and environment (e.g. `--service
 * users,logging`). A process that hosts fewer than five modules gets development bus credentials
 * in its own data folder, unless `BUS_TLS_DIR` points elsewhere.
 */
export class Launched {
  private constructor(
    private readonly proc: LaunchedProcess,
    readonly ports: PortPlan,
    readonly httpPort: number,
    /** Its DATA_DIR, a temp folder removed on close. */
    readonly dataDir: string,
  ) {}

  /**
   * Starts the process with free ports for everything, and waits until one of the HTTP ports
   * (the shared HTTP_PORT or a module's own) answers /health: which one it chose is `httpPort`.
   */
  static async start(
    args: string[],
    env: Record<string, string> = {},
    timeoutMs = 45_000,
  ): Promise<Launched> {
    const free = await freePorts(1 + MODULES.length * 2);
    const ports: PortPlan = {
      http: free[0],
      modules: Object.fromEntries(
        MODULES.map((m, i) => [m, { http: free[1 + i], tcp: free[1 + MODULES.length + i] }]),
      ) as PortPlan['modules'],
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'mfm-launch-'));
    const fullEnv: NodeJS.ProcessEnv = {
      ...inheritedEnv(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      BIND_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      HTTP_PORT: String(ports.http),
    };
    for (const m of MODULES) {
      fullEnv[`${m.toUpperCase()}_HOST`] = '127.0.0.1';
      fullEnv[`${m.toUpperCase()}_HTTP_PORT`] = String(ports.modules[m].http);
      fullEnv[`${m.toUpperCase()}_TCP_PORT`] = String(ports.modules[m].tcp);
    }
    Object.assign(fullEnv, env);
    const candidates = [ports.http, ...MODULES.map((m) => ports.modules[m].http)];
    let httpPort: number | undefined;
    try {
      const launched = await LaunchedProcess.start({
        label: `main.js ${args.join(' ')}`,
        args,
        env: fullEnv,
        ready: async () => {
          for (const port of candidates) {
            if (!(await answersHealth(port))) continue;
            httpPort = port;
            return true;
          }
          return false;
        },
        timeoutMs,
      });
      return new Launched(launched, ports, httpPort as number, dataDir);
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get child(): ChildProcess {
    return this.proc.child;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResult<T>> {
    return httpRequest<T>(this.baseUrl, method, path, options);
  }

  output(): string {
    return this.proc.output;
  }

  async close(): Promise<void> {
    await this.proc.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Free ports for the five modules' TCP listeners, as Store env overrides (so a suite knows them). */
export async function tcpPortEnv(): Promise<{
  env: Record<string, string>;
  ports: Record<Module, number>;
}> {
  const free = await freePorts(MODULES.length);
  const ports = Object.fromEntries(MODULES.map((m, i) => [m, free[i]])) as Record<Module, number>;
  const env = Object.fromEntries(
    MODULES.map((m) => [`${m.toUpperCase()}_TCP_PORT`, String(ports[m])]),
  );
  return { env, ports };
}

/**
 * A TCP relay in front of a process's port, for a network fault no signal can produce: after
 * `blackhole()` the connections it carries stay open but deliver nothing either way (a peer
 * behind a dead link, a half-open connection); connections opened afterwards are relayed normally.
 */
export class TcpRelay {
  private readonly links = new Set<{ inbound: Socket; outbound: Socket }>();
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number, host = '127.0.0.1'): Promise<TcpRelay> {
    const server = createServer();
    const relay = new TcpRelay(server);
    server.on('connection', (inbound) => relay.carry(inbound, targetPort, host));
    await new Promise<void>((done) => server.listen(0, host, done));
    return relay;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** How many of the connections it carries are still open. */
  get open(): number {
    return this.links.size;
  }

  blackhole(): void {
    for (const { inbound, outbound } of this.links) {
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      // Read and drop, so nothing is ever delivered and nothing pushes back either.
      inbound.resume();
      outbound.resume();
    }
  }

  async close(): Promise<void> {
    for (const { inbound, outbound } of this.links) {
      inbound.destroy();
      outbound.destroy();
    }
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private carry(inbound: Socket, port: number, host: string): void {
    this.accepted++;
    const outbound = connect({ port, host });
    const link = { inbound, outbound };
    this.links.add(link);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      this.links.delete(link);
    };
    for (const socket of [inbound, outbound]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  }
}
