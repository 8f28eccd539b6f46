/** Work of one kind that a graceful shutdown waits for. */
class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  /** Counts one unit of work; call the returned function once when it has finished. */
  track(): () => void {
    this.count++;
    let finished = false;
    return () => {
      if (finished) return;
      finished = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
    };
  }

  /** True once nothing is in flight, false if the deadline came first. */
  settled(deadline: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(deadline - Date.now(), 0));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * What a process is doing while it stops: whether it is draining (readiness down, new HTTP
 * requests refused with 503), whether it still takes calls from other modules, and how many
 * HTTP requests and incoming calls are still being worked on. One per application.
 */
export class ShutdownState {
  /** SIGTERM received: /ready is down and new HTTP requests get 503 SHUTTING_DOWN. */
  draining = false;
  /** The last phase: calls from other modules are refused too (their callers try elsewhere). */
  refusingCalls = false;
  readonly http = new InFlight();
  readonly rpc = new InFlight();
  private readonly flushers: Array<(deadline: number) => Promise<void>> = [];

  /** Counts one incoming call (message pattern) as in flight. */
  track(): () => void {
    return this.rpc.track();
  }

  /** Work to finish before the process stops, e.g. delivering what waits in an outbox. */
  onFlush(flush: (deadline: number) => Promise<void>): void {
    this.flushers.push(flush);
  }

  async flush(deadline: number): Promise<void> {
    await Promise.all(this.flushers.map((flush) => flush(deadline).catch(() => undefined)));
  }
}
