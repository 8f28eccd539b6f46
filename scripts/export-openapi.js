// Writes openapi.json, the API document of the whole store, from the built application (run
// `npm run build` first; `npm run openapi:export` does both). The store starts in one process on
// a throwaway data folder and a free port, its /docs/json is read, and it stops again.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT = process.argv[2] ?? join(ROOT, 'openapi.json');

/** Keys in a stable order, so the file changes only when the API does. */
const canonical = (value) =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical(value[key])]),
        )
      : value;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfm-openapi-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      HTTP_PORT: String(port),
      BIND_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/docs/json`);
        if (response.ok) {
          const document = canonical(await response.json());
          writeFileSync(OUT, `${JSON.stringify(document, null, 2)}\n`);
          console.log(`Wrote ${OUT}`);
          return;
        }
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`the store exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('the store did not serve /docs/json within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`openapi:export failed: ${error.message}`);
  process.exit(1);
});
