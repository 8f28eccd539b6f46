import { HttpException } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { Observable, of, throwError } from 'rxjs';
import { httpExceptionToBody } from '../errors/error-body';
import { Metrics } from '../metrics/metrics';
import { BreakerSettings, RpcClient } from './rpc-client';

/**
 * RpcClient's resilience against a scripted peer: which failures are retried, the circuit
 * breaker per pattern, replicas in turn, and what /metrics records. The transports themselves
 * are proven in rpc-transports.spec.ts and the e2e suites.
 */

type Behaviour = (pattern: string) => Observable<unknown>;

class ScriptedPeer {
  readonly calls: string[] = [];
  constructor(public behaviour: Behaviour) {}

  asProxy(): ClientProxy {
    return {
      send: (pattern: string) => {
        this.calls.push(pattern);
        return this.behaviour(pattern);
      },
      close: () => undefined,
      unwrap: () => {
        throw new Error('not connected');
      },
    } as unknown as ClientProxy;
  }
}

const answers: Behaviour = () => of({ ok: true });
const refuses: Behaviour = () =>
  throwError(() => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
const noHandler: Behaviour = () =>
  throwError(() => 'There is no matching message handler defined in the remote service.');
const conflict: Behaviour = () =>
  throwError(() => ({
    statusCode: 409,
    error: 'Conflict',
    code: 'INSUFFICIENT_STOCK',
    message: 'no',
  }));

async function failure(promise: Promise<unknown>): Promise<Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return httpExceptionToBody(error as HttpException) as Record<string, any>;
  }
  throw new Error('the call succeeded');
}

function sampleCount(metrics: Metrics, name: string, labels: Record<string, string>): number {
  const metric = (metrics.registry.getSingleMetric(name) as any).hashMap as Record<
    string,
    { labels: Record<string, string>; count?: number; value?: number }
  >;
  return Object.values(metric)
    .filter((entry) => Object.entries(labels).every(([k, v]) => entry.labels[k] === v))
    .reduce((sum, entry) => sum + (entry.count ?? entry.value ?? 0), 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RpcClient resilience', () => {
  let metrics: Metrics;
  beforeEach(() => (metrics = new Metrics('test')));

  it('reports a pattern the peer does not know as PEER_INCOMPATIBLE and never repeats it, even when idempotent', async () => {
    const peer = new ScriptedPeer(noHandler);
    const client = new RpcClient('products', peer.asProxy(), 2000, 'test', { metrics });
    const body = await failure(client.send('products.get_many', {}, { idempotent: true }));
    expect(body).toMatchObject({ statusCode: 503, code: 'PEER_INCOMPATIBLE' });
    expect(peer.calls).toHaveLength(1);
    expect(sampleCount(metrics, 'rpc_client_duration_seconds', { outcome: 'incompatible' })).toBe(
      1,
    );
  });

  it('retries an idempotent call that could not reach the peer (twice, with backoff), never a non-idempotent one', async () => {
    const peer = new ScriptedPeer(refuses);
    const client = new RpcClient('products', peer.asProxy(), 2000, 'test', { metrics });
    expect(await failure(client.send('products.get_many', {}, { idempotent: true }))).toMatchObject(
      {
        code: 'PEER_UNAVAILABLE',
      },
    );
    expect(peer.calls).toHaveLength(3);
    expect(sampleCount(metrics, 'rpc_client_retries_total', { pattern: 'products.get_many' })).toBe(
      2,
    );
    await failure(client.send('products.place_something', {}));
    expect(peer.calls).toHaveLength(4);
  });

  it('never repeats an answer, even an error', async () => {
    const peer = new ScriptedPeer(conflict);
    const client = new RpcClient('products', peer.asProxy(), 2000, 'test', { metrics });
    expect(
      await failure(client.send('products.reserve_stock', {}, { idempotent: true })),
    ).toMatchObject({ statusCode: 409, code: 'INSUFFICIENT_STOCK' });
    expect(peer.calls).toHaveLength(1);
    expect(sampleCount(metrics, 'rpc_client_duration_seconds', { outcome: 'app_error' })).toBe(1);
  });

  it('opens the circuit of a pattern after consecutive failures, fails fast while open, and closes after a successful probe', async () => {
    const peer = new ScriptedPeer(refuses);
    const client = new RpcClient('products', peer.asProxy(), 2000, 'test', {
      metrics,
      breaker: { threshold: 3, halfOpenAfterMs: 300 },
    });
    for (let i = 0; i < 3; i++) await failure(client.send('products.reserve_stock', {}));
    expect(client.circuits()).toEqual({ 'products.reserve_stock': 'open' });
    expect(sampleCount(metrics, 'rpc_circuit_state', { pattern: 'products.reserve_stock' })).toBe(
      2,
    );

    // Open: the peer is not called at all, the caller gets 503 PEER_UNAVAILABLE at once.
    const fast = await failure(client.send('products.reserve_stock', {}, { idempotent: true }));
    expect(fast).toMatchObject({
      statusCode: 503,
      code: 'PEER_UNAVAILABLE',
      details: { circuit: 'open' },
    });
    expect(peer.calls).toHaveLength(3);
    expect(sampleCount(metrics, 'rpc_client_duration_seconds', { outcome: 'circuit_open' })).toBe(
      1,
    );
    // Per pattern: another pattern of the same peer still goes through.
    peer.behaviour = answers;
    await expect(client.send('products.get_many', {})).resolves.toEqual({ ok: true });
    await failure(client.send('products.reserve_stock', {}));
    expect(peer.calls).toHaveLength(4);

    // After the half-open delay one call probes the peer; its success closes the circuit.
    await sleep(350);
    await expect(client.send('products.reserve_stock', {})).resolves.toEqual({ ok: true });
    expect(client.circuits()).toEqual({
      'products.reserve_stock': 'closed',
      'products.get_many': 'closed',
    });
    expect(sampleCount(metrics, 'rpc_circuit_state', { pattern: 'products.reserve_stock' })).toBe(
      0,
    );
  });

  it('does not count answers (even errors) or version mismatches against the circuit', async () => {
    const peer = new ScriptedPeer(conflict);
    const client = new RpcClient('products', peer.asProxy(), 2000, 'test', {
      metrics,
      breaker: { threshold: 2, halfOpenAfterMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) await failure(client.send('products.reserve_stock', {}));
    peer.behaviour = noHandler;
    for (let i = 0; i < 3; i++) await failure(client.send('products.reserve_stock', {}));
    expect(client.circuits()).toEqual({ 'products.reserve_stock': 'closed' });
    expect(peer.calls).toHaveLength(6);
  });

  /** Two replicas of one peer, `a` behind the client's first connection and `b` added. */
  const twoReplicas = (
    peer: 'products' | 'users',
    a: Behaviour,
    b: Behaviour,
    breaker?: BreakerSettings,
  ) => {
    const first = new ScriptedPeer(a);
    const second = new ScriptedPeer(b);
    const client = new RpcClient(peer, first.asProxy(), 2000, 'test', {
      metrics,
      replicas: [() => second.asProxy()],
      breaker,
    });
    return { a: first, b: second, client };
  };

  it('calls the replicas of a peer in turn, and a retry reaches the next one', async () => {
    const { a, b, client } = twoReplicas('products', answers, answers);
    for (let i = 0; i < 4; i++) await client.send('products.get_many', {}, { idempotent: true });
    expect([a.calls.length, b.calls.length]).toEqual([2, 2]);

    // One replica gone: every idempotent call still succeeds, through the other.
    a.behaviour = refuses;
    for (let i = 0; i < 4; i++)
      await expect(client.send('products.get_many', {}, { idempotent: true })).resolves.toEqual({
        ok: true,
      });
    expect(b.calls.length).toBe(6);
  });

  it('passes over a replica it could not reach until its rest is over, whatever the call', async () => {
    // The rest is measured on the clock the client reads, held still here and moved by hand, so
    // a slow machine cannot outlast it between two calls.
    let now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { a, b, client } = twoReplicas('users', refuses, answers, {
        threshold: 100,
        halfOpenAfterMs: 300,
      });
      // The first call finds the replica down; it is not repeated (not idempotent) and fails.
      expect(await failure(client.send('users.verify', {}))).toMatchObject({
        code: 'PEER_UNAVAILABLE',
      });
      // The calls after it, sent while the replica rests, all go to the other.
      for (let i = 0; i < 5; i++)
        await expect(client.send('users.verify', {})).resolves.toEqual({ ok: true });
      expect([a.calls.length, b.calls.length]).toEqual([1, 5]);

      // Back up: once its rest is over, it is in turn again.
      a.behaviour = answers;
      now += 350;
      for (let i = 0; i < 4; i++) await client.send('users.verify', {});
      expect([a.calls.length, b.calls.length]).toEqual([3, 7]);
    } finally {
      clock.mockRestore();
    }
  });
});
