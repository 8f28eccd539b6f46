import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/** Seconds; from sub-millisecond in-process calls to the 3 s default RPC deadline and beyond. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Order totals in cents: from a single item to a large basket. */
const ORDER_TOTAL_BUCKETS = [500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000];

/** How an RPC call ended, as the caller saw it. */
export type RpcOutcome =
  'ok' | 'app_error' | 'timeout' | 'unavailable' | 'circuit_open' | 'incompatible';

/** Circuit states as numbers, so a dashboard can plot them: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * The Prometheus metrics of one process (prom-client, one registry per application): HTTP, RPC
 * both ways, circuit breakers, outboxes, databases, the domain's counters and Node's defaults.
 * Every module of the process records into the same registry; series carry a `module` or `peer`
 * label where several modules share a process.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = this.counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['method', 'route', 'status'],
  });
  readonly httpDuration = this.histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
  });

  readonly rpcClientDuration = this.histogram({
    name: 'rpc_client_duration_seconds',
    help: 'Calls to other modules as the caller saw them (retries included), by pattern, peer and outcome',
    labelNames: ['peer', 'pattern', 'outcome'],
    buckets: LATENCY_BUCKETS,
  });
  readonly rpcRetries = this.counter({
    name: 'rpc_client_retries_total',
    help: 'Repeated attempts of idempotent calls whose peer could not be reached',
    labelNames: ['peer', 'pattern'],
  });
  readonly rpcServerDuration = this.histogram({
    name: 'rpc_server_duration_seconds',
    help: 'Time spent in message-pattern handlers, by pattern and outcome',
    labelNames: ['pattern', 'outcome'],
    buckets: LATENCY_BUCKETS,
  });
  readonly circuitState = this.gauge({
    name: 'rpc_circuit_state',
    help: 'Circuit breaker per peer and pattern: 0 closed, 1 half-open, 2 open',
    labelNames: ['peer', 'pattern'],
  });

  readonly rpcForbiddenCalls = this.counter({
    name: 'rpc_forbidden_calls_total',
    help: 'Messages refused with FORBIDDEN_CALLER: the calling module may not send that pattern',
    labelNames: ['pattern', 'caller'],
  });
  readonly busConnections = this.gauge({
    name: 'bus_connections',
    help: "Connections open on a module's bus listener, in the TLS handshake or established",
    labelNames: ['module'],
  });
  readonly busConnectionsClosed = this.counter({
    name: 'bus_connections_refused_total',
    help: 'Bus connections closed before they could carry a message: listener_full, address_full (a cap reached), handshake_timeout, handshake_failed',
    labelNames: ['module', 'reason'],
  });

  readonly outboxBacklog = this.gauge({
    name: 'outbox_backlog_messages',
    help: 'Messages waiting in an outbox, by sending module and receiver',
    labelNames: ['module', 'target'],
  });
  readonly outboxOldestAge = this.gauge({
    name: 'outbox_oldest_message_age_seconds',
    help: 'Age of the oldest undelivered message of an outbox (0 when empty)',
    labelNames: ['module'],
  });
  readonly outboxDeliveries = this.counter({
    name: 'outbox_delivery_attempts_total',
    help: 'Delivery attempts of outbox messages (a batch counts its messages), by outcome',
    labelNames: ['module', 'target', 'outcome'],
  });

  readonly sagaOutcomes = this.counter({
    name: 'orders_saga_outcomes_total',
    help: 'Orders finished by the placement saga: confirmed, or failed with the reason code',
    labelNames: ['outcome', 'code'],
  });
  readonly orderTotals = this.histogram({
    name: 'orders_confirmed_total_cents',
    help: 'Totals of confirmed orders, tax included, in cents',
    buckets: ORDER_TOTAL_BUCKETS,
  });

  readonly logins = this.counter({
    name: 'auth_logins_total',
    help: 'Login attempts by outcome: success, failure (wrong credentials), throttled (429)',
    labelNames: ['outcome'],
  });
  readonly rateLimited = this.counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429 by a route limit',
    labelNames: ['limit'],
  });
  readonly reservations = this.counter({
    name: 'stock_reservations_total',
    help: 'Stock reservations by outcome: reserved, replayed, insufficient, released',
    labelNames: ['outcome'],
  });

  readonly auditEventsReceived = this.counter({
    name: 'audit_events_received_total',
    help: 'Audit events the log received: stored, or duplicate (a redelivery, stored once already)',
    labelNames: ['result'],
  });

  readonly dbQueryDuration = this.histogram({
    name: 'db_query_duration_seconds',
    help: 'Database statements by module (millisecond resolution, as the driver measures)',
    labelNames: ['module', 'outcome'],
    buckets: LATENCY_BUCKETS,
  });
  readonly dbPool = this.gauge({
    name: 'db_pool_connections',
    help: 'Connections of a module database pool by state: total, idle, waiting (clients queued)',
    labelNames: ['module', 'state'],
  });
  readonly storageWritable = this.gauge({
    name: 'storage_writable',
    help: "1 while a module's storage takes writes, 0 while it refuses them (disk full, I/O error)",
    labelNames: ['module'],
  });

  readonly backupLastSuccess = this.gauge({
    name: 'backup_last_success_timestamp_seconds',
    help: 'When the last backup that passed its verification was written (Unix time)',
  });
  readonly backupLastSize = this.gauge({
    name: 'backup_last_size_bytes',
    help: 'Size of the last backup that passed its verification',
  });
  readonly backups = this.counter({
    name: 'backups_total',
    help: 'Backups written and verified (ok), or that failed, by what started them',
    labelNames: ['outcome', 'trigger'],
  });

  /** Work done on every scrape, before the registry is read (gauges of current state). */
  private readonly collectors: Array<() => Promise<void> | void> = [];

  constructor(process: string) {
    this.registry.setDefaultLabels({ process });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Runs `collect` on every scrape; a collector that fails leaves its gauges as they were. */
  onCollect(collect: () => Promise<void> | void): void {
    this.collectors.push(collect);
  }

  /** The text exposition of every metric, after refreshing the current-state gauges. */
  async scrape(): Promise<string> {
    await Promise.all(
      this.collectors.map(async (collect) => {
        try {
          await collect();
        } catch {
          // A database that does not answer keeps its last values; /ready reports it.
        }
      }),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private counter<T extends string>(config: CounterConfiguration<T>): Counter<T> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  private gauge<T extends string>(config: GaugeConfiguration<T>): Gauge<T> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  private histogram<T extends string>(config: HistogramConfiguration<T>): Histogram<T> {
    return new Histogram({ ...config, registers: [this.registry] });
  }
}
