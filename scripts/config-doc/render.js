// Renders docs/configuration.md from the environment schema. Which variables exist and what each
// accepts come from the schema's validation metadata (class-validator), the defaults from the
// configuration loader run on an empty environment, the words from ./variables.js. Used by
// scripts/write-configuration-doc.js (npm run docs:config) and by the unit test that fails when
// the committed file is stale (test/unit/configuration-doc.spec.ts).
const { getMetadataStorage } = require('class-validator');
const prettier = require('prettier');
const { SECTIONS } = require('./variables');

const BOOLEAN = '`true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`)';

/** What the schema's decorators on one variable accept, in words. */
function accepts(rules, entry) {
  const by = (name) => rules.find((rule) => rule.name === name);
  const min = by('min')?.constraints[0];
  const max = by('max')?.constraints[0];
  if (by('isInt')) return `whole number ${min}–${max}`;
  if (by('isBoolean')) return BOOLEAN;
  if (by('isIn'))
    return by('isIn')
      .constraints[0].map((value) => `\`${value}\``)
      .join(', ');
  if (by('isEmail')) return 'an email address';
  if (by('matches')) {
    if (!entry.form)
      throw new Error(`${entry.name}: the schema checks a pattern; say its form in variables.js`);
    return entry.form;
  }
  const minLength = by('minLength')?.constraints[0];
  const maxLength = by('maxLength')?.constraints[0];
  const length =
    minLength !== undefined && maxLength !== undefined
      ? `${minLength}–${maxLength} characters`
      : maxLength !== undefined
        ? `at most ${maxLength} characters`
        : undefined;
  return [entry.form ?? 'text', length].filter(Boolean).join(', ');
}

const cell = (text) => String(text).replace(/\|/g, '\\|');

/** A module's request limit, which the loader reads with its own parser (not the schema). */
const limitRow =
  (form) =>
  ({ variable, defaults, counts }) =>
    `| \`${variable}\` | \`${defaults.points}/${defaults.durationSeconds}\` | ${cell(form)} | ${cell(counts)}; past it 429 \`TOO_MANY_REQUESTS\` |`;

/**
 * @param EnvSchema the schema class (its decorators registered)
 * @param loadConfig the configuration loader
 * @param moduleSettings the modules' settings, as the entrypoint passes them (their request limits)
 * @returns the Markdown of docs/configuration.md, formatted by Prettier
 */
async function renderConfigurationDoc(EnvSchema, loadConfig, moduleSettings) {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvSchema, '', true, false);
  const rulesOf = new Map();
  for (const rule of metadata) {
    if (!rulesOf.has(rule.propertyName)) rulesOf.set(rule.propertyName, []);
    rulesOf.get(rule.propertyName).push(rule);
  }
  const defaults = loadConfig({}, moduleSettings);
  const modules = Object.keys(defaults.modules);
  const documented = new Set();

  const sections = SECTIONS.map((section) => {
    const rows = section.variables.map((entry) => {
      if (entry.rateLimits) return moduleSettings.rateLimits.map(limitRow(entry.form)).join('\n');
      const names = entry.expand ? modules.map(entry.expand) : [entry.name];
      for (const name of names) {
        if (!rulesOf.has(name))
          throw new Error(`${name} is documented but not in the environment schema`);
        documented.add(name);
      }
      const kinds = names.map((name) => accepts(rulesOf.get(name), entry));
      if (new Set(kinds).size !== 1)
        throw new Error(`${entry.name}: the modules' variables accept different values`);
      return `| \`${entry.name}\` | ${cell(entry.default(defaults))} | ${cell(kinds[0])} | ${cell(entry.meaning)} |`;
    });
    return [
      `## ${section.title}`,
      '',
      ...(section.intro ? [section.intro, ''] : []),
      '| variable | default | accepts | meaning |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  });
  const missing = [...rulesOf.keys()].filter((name) => !documented.has(name));
  if (missing.length > 0)
    throw new Error(`not documented in scripts/config-doc/variables.js: ${missing.join(', ')}`);

  const markdown = [
    '# Configuration',
    '',
    '<!-- Generated from libs/platform/src/config/env.schema.ts by `npm run docs:config`; do not edit by hand. The words are in scripts/config-doc/variables.js. -->',
    '',
    'Everything is read from the environment and validated at start (`libs/platform/src/config/env.schema.ts`, defaults in `load-config.ts`). A bad value stops the process with exit code 2 and a message that lists every bad variable at once (secrets, keys and database URLs are named but not echoed). Empty values count as unset. Numbers are plain decimal digits: `3e3`, `0x0CA8` or ` 3240` are refused, not converted. The same exit code 2 and one line come from `--service` without a value, a port another process holds, a `DATA_DIR` that cannot be created or written or whose disk is full, a PostgreSQL server that does not answer (tried 5 times, 2 s apart, one line per attempt; the last names the module, the server and the `<MODULE>_DATABASE_URL` to check), and a module database written by a newer version of the store (the line names the migrations this version does not know).',
    '',
    'Which modules a process hosts is not a variable of the schema but of the entrypoint: `SERVICE` (comma-separated: `users`, `users,logging`, `all`; unset: all five) or `--service`, which wins. `--classic` is the same as `CLASSIC_API=1`.',
    '',
    ...sections,
  ].join('\n');
  const options = (await prettier.resolveConfig(__filename)) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown' });
}

module.exports = { renderConfigurationDoc };
