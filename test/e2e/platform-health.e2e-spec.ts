import { MODULE_PEERS } from '@mfm/contracts/module-peers';
import { MODULES, Module, Store, TOPOLOGIES, useStore } from '../support/store';

jest.setTimeout(60_000);

/** The peers a split process checks: those its module calls. */
const remotePeers = (module: Module): readonly Module[] => MODULE_PEERS[module];

describe.each(TOPOLOGIES)('/health and /ready on every process (%s)', (topology) => {
  let store: Store;

  useStore(topology, (started) => (store = started));

  it.each(MODULES)('the process of %s is alive', async (module) => {
    const res = await store.request(module, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it.each(MODULES)(
    'the process of %s is ready: its databases answer and take writes, and the peers it needs answer',
    async (module) => {
      const res = await store.request(module, 'GET', '/ready');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      const hosted = topology === 'single' ? [...MODULES] : [module];
      const expected = hosted.flatMap((m) => [`${m}-db`, `${m}-storage`]);
      // In one process every peer is local: there is nothing to reach over a network.
      if (topology === 'split') expected.push(...remotePeers(module).map((peer) => `${peer}-peer`));
      // And the circuit breakers of this process's calls (informational: always up), and where
      // logging is hosted its backups (informational too: an old backup is the operator's alarm).
      expected.push('circuits');
      if (hosted.includes('logging')) expected.push('backups');
      expect(Object.keys(res.body.info).sort()).toEqual(expected.sort());
      for (const check of expected) expect(res.body.info[check].status).toBe('up');
    },
  );

  // Split only (in one process every peer is local), and last: these stop and freeze processes.
  if (topology !== 'split') return;
  describe('/ready says which peer is down', () => {
    it('users is not ready while logging is down, names logging-peer, and is ready again when it is back', async () => {
      expect((await store.request('users', 'GET', '/ready')).status).toBe(200);

      await store.stop('logging');
      const res = await store.request('users', 'GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'NOT_READY',
      });
      expect(res.body.message).toContain('logging-peer');
      expect(res.body.details['logging-peer']).toMatchObject({ status: 'down' });
      expect(res.body.details['users-db']).toMatchObject({ status: 'up' });
      // Still alive: liveness does not depend on peers (a restart would not help).
      expect((await store.request('users', 'GET', '/health')).status).toBe(200);
      // Products needs users and logging: it names logging and only logging.
      const products = await store.request('products', 'GET', '/ready');
      expect(products.status).toBe(503);
      expect(products.body.message).toContain('logging-peer');
      expect(products.body.message).not.toContain('users-peer');
      expect(products.body.details['logging-peer']).toMatchObject({ status: 'down' });
      expect(products.body.details['users-peer']).toMatchObject({ status: 'up' });

      await store.restart('logging');
      const again = await store.request('users', 'GET', '/ready');
      expect(again.status).toBe(200);
      expect(again.body.info['logging-peer']).toMatchObject({ status: 'up' });
    });

    it('a peer that hangs (SIGSTOP) makes /ready answer 503 instead of hanging', async () => {
      if (store.pid('logging') === undefined) await store.restart('logging'); // left down by a failed test above
      store.signal('users', 'SIGSTOP');
      try {
        const started = Date.now();
        const res = await store.request('logging', 'GET', '/ready');
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({
          code: 'NOT_READY',
          message: expect.stringContaining('users-peer'),
        });
        expect(res.body.details['users-peer']).toMatchObject({ status: 'down' });
        expect(Date.now() - started).toBeLessThan(5000); // a hang bound: the peer check has its own 1 s timeout
      } finally {
        store.signal('users', 'SIGCONT');
      }
      expect((await store.request('logging', 'GET', '/ready')).status).toBe(200);
    });
  });
});
