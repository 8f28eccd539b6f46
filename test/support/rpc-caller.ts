import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGE_CALLERS } from '@mfm/contracts/message-callers';
import { loadConfig } from '@mfm/platform/config/load-config';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { MODULE_NAMES } from '@mfm/platform/topology/module-names';
import { bootstrap } from '../../src/bootstrap';
import { MODULE_SETTINGS } from '../../src/module-settings';
import { busRpcClient } from './bus';
import { freePorts } from './free-port';
import { httpRequest } from './http';
import { HttpResult, Module, RequestOptions, Store, Topology } from './store';

/**
 * A running store whose message patterns a test can call, as another module would:
 * - single: the real bootstrap with all five modules inside this Jest worker; calls go through
 *   the in-process transport (the same path a module of that process takes);
 * - split: the five child processes of Store, called over real TCP with mutual TLS, the test
 *   showing a module certificate from the store's BUS_TLS_DIR.
 */
export interface RpcStore {
  topology: Topology;
  /**
   * Sends `pattern` to `module` as the module `as` (its certificate over TCP, its in-process
   * client in one process); by default as the first module MESSAGE_CALLERS lets send it.
   */
  send<T>(module: Module, pattern: string, payload: unknown, as?: Module): Promise<T>;
  request<T = any>(
    module: Module,
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

export async function startRpcStore(
  topology: Topology,
  env: Record<string, string> = {},
): Promise<RpcStore> {
  return topology === 'single' ? startInJest(env) : startSplit(env);
}

/** The first module that may send `pattern` (orders for a pattern nobody may send). */
const allowedCaller = (pattern: string): Module => MESSAGE_CALLERS[pattern]?.[0] ?? 'orders';

async function startSplit(env: Record<string, string>): Promise<RpcStore> {
  const store = await Store.start('split', { env });
  const clients = new Map<string, RpcClient>();
  const clientFor = (module: Module, as: Module) => {
    let client = clients.get(`${module} as ${as}`);
    if (!client) {
      client = busRpcClient(store, module, { as });
      clients.set(`${module} as ${as}`, client);
    }
    return client;
  };
  return {
    topology: 'split',
    send: (module, pattern, payload, as = allowedCaller(pattern)) =>
      clientFor(module, as).send(pattern, payload),
    request: (module, method, path, options) => store.request(module, method, path, options),
    close: async () => {
      clients.forEach((client) => client.close());
      await store.close();
    },
  };
}

async function startInJest(env: Record<string, string>): Promise<RpcStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfm-injest-'));
  const [httpPort] = await freePorts(1);
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      HTTP_PORT: String(httpPort),
      BIND_HOST: '127.0.0.1',
      ...env,
    },
    MODULE_SETTINGS,
  );
  const { app } = await bootstrap([...MODULE_NAMES], config);
  const base = `http://127.0.0.1:${httpPort}`;
  return {
    topology: 'single',
    send: (module, pattern, payload, as = allowedCaller(pattern)) =>
      app.get<string, RpcClient>(rpcClientToken(module)).as(as).send(pattern, payload),
    request: (_module, method, path, options) => httpRequest(base, method, path, options),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
