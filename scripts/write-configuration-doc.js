// Writes docs/configuration.md from the environment schema (npm run docs:config). The schema is
// TypeScript with decorators, so its files are compiled on load with SWC, as Jest compiles them;
// no build needed. `--check [file]` writes nothing and exits 1 when the committed file (or the one
// named) differs from what the schema gives today.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const SWC_OPTIONS = require('./swc-options');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'configuration.md');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { filename, ...SWC_OPTIONS });
  module._compile(code, filename);
};

const { EnvSchema } = require('../libs/platform/src/config/env.schema.ts');
const { loadConfig } = require('../libs/platform/src/config/load-config.ts');
const { renderConfigurationDoc } = require('./config-doc/render');

renderConfigurationDoc(EnvSchema, loadConfig).then(
  (markdown) => {
    const check = process.argv.indexOf('--check');
    if (check !== -1) {
      const file = process.argv[check + 1] ?? OUT;
      if (readFileSync(file, 'utf8') !== markdown) {
        console.error(`${file} is stale: run npm run docs:config and commit docs/configuration.md`);
        process.exit(1);
      }
      return;
    }
    writeFileSync(OUT, markdown);
    console.log(`wrote ${OUT}`);
  },
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
