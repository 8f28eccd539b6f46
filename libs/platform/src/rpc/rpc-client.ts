import { HttpException, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  RetryPolicy,
  circuitBreaker,
  handleWhen,
  retry,
} from 'cockatiel';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { RequestContext } from '../context/request-context';
import { PlatformErrors } from '../errors/error-codes';
import { CIRCUIT_STATE_VALUE, Metrics, RpcOutcome } from '../metrics/metrics';
import { ModuleName } from '../topology/module-names';
import {
  SpanKind,
  context,
  currentTraceCarrier,
  endSpan,
  trace,
  tracer,
} from '../tracing/trace-context';
import { RpcEnvelope } from './envelope';
import { errorCode, isPeerUnavailable, toCallerError } from './rpc-error.mapper';

export interface CallOptions {
  /** Safe to repeat: a call that could not reach the peer is retried with backoff. */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface BreakerSettings {
  /** Consecutive failures to reach the peer that open the circuit of a pattern. */
  threshold: number;
  /** How long an open circuit fails fast before one call probes the peer. */
  halfOpenAfterMs: number;
}

export interface RpcClientOptions {
  /**
   * Opens a new connection to the peer (socket transports). With it, a call that times out
   * retires the connection it went over: a peer behind a dead link or a half-open socket never
   * answers on it again, and nothing would ever close it.
   */
  reconnect?: () => ClientProxy;
  /** Further replicas of the peer (their connection factories), called in turn with the first. */
  replicas?: Array<() => ClientProxy>;
  breaker?: BreakerSettings;
  metrics?: Metrics;
  /**
   * The module of this process the calls are made as: the certificate the connection shows, or
   * the caller the in-process transport names. The peer checks it against who may send each pattern.
   */
  self?: ModuleName;
  /** A client of the same peer calling as another module of this process (see `as`). */
  connectAs?: (module: ModuleName) => RpcClient;
}

/** Without settings (tests, tools): a breaker that practically never opens. */
const NO_BREAKER: BreakerSettings = { threshold: Number.MAX_SAFE_INTEGER, halfOpenAfterMs: 1000 };

/** Attempts of an idempotent call that could not reach its peer: the first and two retries. */
const MAX_RETRIES = 2;
/** Jittered exponential backoff between them (cockatiel's decorrelated jitter). */
const BACKOFF = { initialDelay: 50, maxDelay: 400 };

export type CircuitStateName = keyof typeof CIRCUIT_STATE_VALUE;

/** One replica of the peer: its current connection and how to open a new one. */
interface Replica {
  proxy: ClientProxy;
  connect?: () => ClientProxy;
  /** Until then new calls pass it over: it could not be reached (ms since the epoch). */
  restsUntil: number;
}

/**
 * Sends a typed message to one module, over whichever transport the topology chose. Every call
 * has a deadline, carries the request id and the trace context, and fails as the same
 * HttpException the peer raised.
 *
 * Resilience, per peer: calls go to its replicas in turn; calls that could not reach the peer at
 * all are retried with jittered backoff when the contract marks them idempotent (an answer, even
 * an error, is never repeated); and a circuit breaker per pattern opens after consecutive
 * failures to reach the peer, so callers get 503 at once instead of waiting for every deadline,
 * until a probe call finds the peer answering again.
 */
export class RpcClient {
  private readonly logger: Logger;
  private readonly replicas: Replica[];
  private next = 0;
  /** Calls waiting on each connection, so a retired one is closed only once they have settled. */
  private readonly inFlight = new Map<ClientProxy, number>();
  private readonly retired = new Set<ClientProxy>();
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly retryPolicy: RetryPolicy;
  private readonly breakerSettings: BreakerSettings;
  private readonly metrics?: Metrics;
  private readonly self?: ModuleName;
  private readonly connectAs?: (module: ModuleName) => RpcClient;
  /** Clients of the same peer calling as the other modules of this process. */
  private readonly others = new Map<ModuleName, RpcClient>();

  constructor(
    readonly peer: ModuleName,
    proxy: ClientProxy,
    private readonly defaultTimeoutMs: number,
    private readonly caller: string,
    options: RpcClientOptions = {},
  ) {
    this.replicas = [
      { proxy, connect: options.reconnect, restsUntil: 0 },
      ...(options.replicas ?? []).map((connect) => ({ proxy: connect(), connect, restsUntil: 0 })),
    ];
    this.breakerSettings = options.breaker ?? NO_BREAKER;
    this.metrics = options.metrics;
    this.self = options.self;
    this.connectAs = options.connectAs;
    this.logger = new Logger(`RpcClient:${peer}`);
    this.retryPolicy = retry(
      handleWhen((error) => typeof error === 'object' && error !== null && RETRYABLE.has(error)),
      { maxAttempts: MAX_RETRIES, backoff: new ExponentialBackoff(BACKOFF) },
    );
  }

  async send<TResponse, TRequest = unknown>(
    pattern: string,
    payload: TRequest,
    options: CallOptions = {},
  ): Promise<TResponse> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const started = performance.now();
    const span = tracer.startSpan(pattern, {
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'mfm-bus', 'rpc.service': this.peer, 'rpc.method': pattern },
    });
    const spanContext = trace.setSpan(context.active(), span);
    const envelope: RpcEnvelope<TRequest> = {
      meta: {
        requestId: RequestContext.requestId(),
        caller: this.caller,
        ...currentTraceCarrier(spanContext),
      },
      payload,
    };
    const breaker = this.breakerFor(pattern);
    try {
      const result = await this.retryPolicy.execute(async ({ attempt }) => {
        if (attempt > 0) this.metrics?.rpcRetries.inc({ peer: this.peer, pattern });
        try {
          return await breaker.execute(() =>
            this.attempt<TResponse, TRequest>(pattern, envelope, deadline - Date.now()),
          );
        } catch (raw) {
          const error = this.toError(raw, timeoutMs);
          // Only a call that never reached the peer is repeated, and only within its deadline.
          if (
            options.idempotent &&
            errorCode(error) === 'PEER_UNAVAILABLE' &&
            !(raw instanceof BrokenCircuitError) &&
            Date.now() + BACKOFF.maxDelay < deadline
          )
            RETRYABLE.add(error);
          throw error;
        }
      });
      this.observe(pattern, 'ok', started);
      endSpan(span);
      return result;
    } catch (error) {
      const failure = error as HttpException;
      this.observe(pattern, outcomeOf(failure), started);
      endSpan(span, failure);
      if (failure.getStatus() >= 500) this.logger.warn(`${pattern} failed: ${failure.message}`);
      throw failure;
    }
  }

  /**
   * The same peer, called as `module` (one this process hosts): a module's own clients call as
   * that module, so the peer lets through only what that module may send. Without a way to call
   * as another (tests, tools), this client.
   */
  as(module: ModuleName): RpcClient {
    if (module === this.self || !this.connectAs) return this;
    let client = this.others.get(module);
    if (!client) {
      client = this.connectAs(module);
      this.others.set(module, client);
    }
    return client;
  }

  /** State of the circuit of each pattern called so far (the worst, when several modules call it). */
  circuits(): Record<string, CircuitStateName> {
    const states: Record<string, CircuitStateName> = {};
    for (const client of [this, ...this.others.values()])
      for (const [pattern, breaker] of client.breakers) {
        const state = stateName(breaker.state);
        const known = states[pattern];
        if (!known || CIRCUIT_STATE_VALUE[state] > CIRCUIT_STATE_VALUE[known])
          states[pattern] = state;
      }
    return states;
  }

  close(): void {
    for (const replica of this.replicas) replica.proxy.close();
    for (const proxy of this.retired) closeNow(proxy);
    this.retired.clear();
    for (const client of this.others.values()) client.close();
    this.others.clear();
  }

  private breakerFor(pattern: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(pattern);
    if (breaker) return breaker;
    breaker = circuitBreaker(
      // A peer that could not be reached or did not answer in time; never an answer, not even an error.
      handleWhen((error) => {
        const code = errorCode(error);
        return code === 'PEER_UNAVAILABLE' || code === 'PEER_TIMEOUT';
      }),
      {
        halfOpenAfter: this.breakerSettings.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.breakerSettings.threshold),
      },
    );
    const labels = { peer: this.peer, pattern };
    this.metrics?.circuitState.set(labels, CIRCUIT_STATE_VALUE.closed);
    breaker.onStateChange((state) => {
      const name = stateName(state);
      this.metrics?.circuitState.set(labels, CIRCUIT_STATE_VALUE[name]);
      if (name !== 'half_open')
        this.logger.warn(`circuit of ${pattern} to ${this.peer} is ${name.replace('_', '-')}`);
    });
    this.breakers.set(pattern, breaker);
    return breaker;
  }

  private toError(raw: unknown, timeoutMs: number): HttpException {
    if (raw instanceof BrokenCircuitError) {
      return PlatformErrors.PEER_CIRCUIT_OPEN.error(
        { peer: this.peer },
        { peer: this.peer, circuit: 'open' },
      );
    }
    return toCallerError(raw, this.peer, timeoutMs);
  }

  private observe(pattern: string, outcome: RpcOutcome, started: number): void {
    this.metrics?.rpcClientDuration.observe(
      { peer: this.peer, pattern, outcome },
      (performance.now() - started) / 1000,
    );
  }

  private async attempt<TResponse, TRequest>(
    pattern: string,
    envelope: RpcEnvelope<TRequest>,
    remainingMs: number,
  ): Promise<TResponse> {
    const replica = this.nextReplica();
    const proxy = replica.proxy;
    this.inFlight.set(proxy, (this.inFlight.get(proxy) ?? 0) + 1);
    try {
      return await firstValueFrom(
        proxy
          .send<TResponse, RpcEnvelope<TRequest>>(pattern, envelope)
          .pipe(timeout({ first: Math.max(remainingMs, 1) })),
      );
    } catch (error) {
      if (error instanceof TimeoutError) this.retire(replica, proxy);
      // A replica that is down, or too slow to answer within a deadline, rests a while.
      if (isPeerUnavailable(error))
        replica.restsUntil = Date.now() + this.breakerSettings.halfOpenAfterMs;
      throw error;
    } finally {
      const left = (this.inFlight.get(proxy) ?? 1) - 1;
      if (left > 0) this.inFlight.set(proxy, left);
      else {
        this.inFlight.delete(proxy);
        if (this.retired.delete(proxy)) closeNow(proxy);
      }
    }
  }

  /**
   * The replicas in turn, passing over those resting after a failure to reach them, so a dead
   * replica costs one failed call per rest, not every other call; when all rest, the next in turn.
   */
  private nextReplica(): Replica {
    const now = Date.now();
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const replica = this.replicas[this.next++ % this.replicas.length];
      if (replica.restsUntil <= now) return replica;
    }
    return this.replicas[this.next++ % this.replicas.length];
  }

  /**
   * New calls go over a new connection from now on. The old one stays open for the calls still
   * waiting on it (a slow answer is still an answer) and is closed when the last of them settles,
   * each within its own deadline.
   */
  private retire(replica: Replica, proxy: ClientProxy): void {
    if (!replica.connect || proxy !== replica.proxy) return;
    replica.proxy = replica.connect();
    this.retired.add(proxy);
    this.logger.warn(`a call to ${this.peer} timed out: its connection is dropped`);
  }
}

/** Errors of attempts that may be repeated (marked where the call's options are known). */
const RETRYABLE = new WeakSet<object>();

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'closed';
}

function outcomeOf(error: HttpException): RpcOutcome {
  const body = error.getResponse() as { code?: string; details?: { circuit?: string } };
  switch (body.code) {
    case 'PEER_TIMEOUT':
      return 'timeout';
    case 'PEER_INCOMPATIBLE':
      return 'incompatible';
    case 'PEER_UNAVAILABLE':
      return body.details?.circuit === 'open' ? 'circuit_open' : 'unavailable';
    default:
      return 'app_error';
  }
}

/** Closes a connection without waiting for a peer that may never acknowledge it. */
function closeNow(proxy: ClientProxy): void {
  let socket: { destroy(): void } | undefined;
  try {
    socket = proxy.unwrap<{ destroy(): void }>();
  } catch {
    // never connected: nothing to destroy
  }
  proxy.close();
  socket?.destroy();
}
