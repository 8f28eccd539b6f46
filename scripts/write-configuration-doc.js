// Writes docs/configuration.md from the environment schema (npm run docs:config). The schema is
// TypeScript with decorators, so its files are compiled on load with SWC, as Jest compiles them;
// no build needed. `--check [file]` writes nothing and exits 1 when the committed file (or the one
// named) differs from what the schema gives today.
const Module = require('node:module');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const SWC_OPTIONS = require('./swc-options');
const { LIBRARIES } = require('./path-aliases');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'configuration.md');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { filename, ...SWC_OPTIONS });
  module._compile(code, filename);
};

// The modules' settings import the libraries by their path aliases, as Jest maps them.
const ALIAS = new RegExp(`^@mfm/(${LIBRARIES})(/.*)?$`);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = ALIAS.exec(request);
  const path = alias ? join(ROOT, 'libs', alias[1], 'src') + (alias[2] ?? '') : request;
  return resolveFilename.call(this, path, ...rest);
};

const { EnvSchema } = require('../libs/platform/src/config/env.schema.ts');
const { loadConfig } = require('../libs/platform/src/config/load-config.ts');
const { MODULE_SETTINGS } = require('../src/module-settings.ts');
const { renderConfigurationDoc } = require('./config-doc/render');

renderConfigurationDoc(EnvSchema, loadConfig, MODULE_SETTINGS).then(
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
