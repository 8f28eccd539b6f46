// Container health probe: GET /health on this process's own HTTP port. The slim image has no
// curl, so Node does it. The port is chosen the way src/bootstrap.ts chooses it: a process that
// hosts one module listens on <MODULE>_HTTP_PORT (default 3001..3005), any other on HTTP_PORT
// (default 3000). Reads SERVICE only: in a container, pick the module with SERVICE, not --service.
'use strict';

const MODULES = ['users', 'products', 'search', 'orders', 'logging'];

const raw = (process.env.SERVICE ?? '').trim().toLowerCase();
const hosted =
  raw === '' || raw === 'all'
    ? MODULES
    : [
        ...new Set(
          raw
            .split(',')
            .map((name) => name.trim())
            .filter((name) => name.length > 0),
        ),
      ];
const port =
  hosted.length === 1
    ? process.env[`${hosted[0].toUpperCase()}_HTTP_PORT`] ||
      String(3001 + MODULES.indexOf(hosted[0]))
    : process.env.HTTP_PORT || '3000';

fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
