import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built store's entrypoint (`npm run build` writes it): what every test store runs. */
export const ENTRY = resolve(__dirname, '../../dist/main.js');

/** How much of a process's output a failure message quotes: enough for its last error. */
const TAIL = 4000;

/** What a process has written to stdout and stderr; one buffer can span its restarts. */
export interface OutputBuffer {
  text: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchOptions {
  /** How failure messages name the process (`all`, `users#1`, `main.js --service users`). */
  label: string;
  /** Arguments after dist/main.js, or the arguments of `command`. */
  args?: string[];
  /** Another program than node dist/main.js (nginx, or the image's copy of the store). */
  command?: string;
  /** Its whole environment: nothing of the test run's leaks in unless passed here. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** True once the process serves (e.g. `answersHealth(port)`); polled until the timeout. */
  ready: () => boolean | Promise<boolean>;
  timeoutMs?: number;
  pollMs?: number;
  /** Where its output goes: pass the same buffer to each start of one process to keep it all. */
  output?: OutputBuffer;
}

/**
 * A child process of the test run, started and awaited until ready: a store process (any
 * arguments, any environment) or the gateway in front of them. A start that fails kills the
 * process and throws with the end of what it wrote.
 */
export class LaunchedProcess {
  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
    private readonly out: OutputBuffer,
  ) {}

  static async start(options: LaunchOptions): Promise<LaunchedProcess> {
    const out = options.output ?? { text: '' };
    const [command, args] = options.command
      ? [options.command, options.args ?? []]
      : [process.execPath, [ENTRY, ...(options.args ?? [])]];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (out.text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out.text += chunk.toString()));
    const launched = new LaunchedProcess(options.label, child, out);
    const timeoutMs = options.timeoutMs ?? 45_000;
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        if (!launched.running)
          throw launched.failure(`exited with ${child.exitCode ?? child.signalCode}`);
        if (await options.ready()) return launched;
        if (Date.now() > deadline)
          throw launched.failure(`did not become ready within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
      }
    } catch (error) {
      await launched.stop('SIGKILL');
      throw error;
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** OS process id while it runs (for /proc, SIGSTOP/SIGCONT), undefined once it has exited. */
  get pid(): number | undefined {
    return this.running ? this.child.pid : undefined;
  }

  get output(): string {
    return this.out.text;
  }

  /**
   * Stops it and tells how it ended (undefined when it had already). SIGKILL is a crash; SIGTERM
   * lets it drain, and is followed by SIGKILL after `graceMs`.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<Exit | undefined> {
    const child = this.child;
    if (!this.running) return undefined;
    const exited = new Promise<Exit>((done) =>
      child.once('exit', (code, how) => done({ code, signal: how })),
    );
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const outcome = await exited;
    clearTimeout(timer);
    return outcome;
  }

  private failure(what: string): Error {
    return new Error(`${this.label} ${what}:\n${this.out.text.slice(-TAIL)}`);
  }
}

/** The variables a store process takes from the test run: where programs and home are. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME };
}

/** Whether an HTTP server on the port answers `path` with a 2xx (false when nothing listens). */
export async function answersHealth(port: number, path = '/health'): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}${path}`)).ok;
  } catch {
    return false;
  }
}

/**
 * Runs `node dist/main.js` once with the given arguments and environment (a command, or a start
 * that must refuse); resolves when it exits, or kills it after `timeoutMs`.
 */
export function runEntrypoint(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [ENTRY, ...args], {
      env: { ...inheritedEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}
