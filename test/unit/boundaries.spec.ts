import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { useTempDir } from '../support/temp-dir';

/**
 * The dependency rules of .dependency-cruiser.cjs (docs/ARCHITECTURE.md, "The two libraries"),
 * checked over the real src/, libs/ and test/: no import circle (type-only imports count too), a
 * platform that knows no module, modules that import no other module's folder, and platform
 * folders in layers (no folder cycle). A planted tree shows that each rule says no where it should.
 *
 * dependency-cruiser is an ES module, which Jest's CommonJS sandbox cannot import(), so its API
 * runs in a plain Node child process that prints the violations as JSON.
 */
const ROOT = resolve(__dirname, '../..');

// Reads { roots, baseDir, withTsConfig } on stdin; the rules are always the project's own.
const CRUISE_SCRIPT = `
import { readFileSync } from 'node:fs';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
const { roots, baseDir, withTsConfig } = JSON.parse(readFileSync(0, 'utf8'));
const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
if (!withTsConfig) delete options.tsConfig;
const transpile = withTsConfig ? { tsConfig: extractTSConfig('tsconfig.json') } : {};
const result = await cruise(roots, { ...options, baseDir }, {}, transpile);
const { summary } = result.output;
const violations = summary.violations
  .filter((v) => v.rule.severity !== 'ignore')
  .map((v) => ({ rule: v.rule.name, from: v.from, to: v.to, cycle: (v.cycle ?? []).map((c) => c.name) }));
process.stdout.write(JSON.stringify({ cruised: summary.totalCruised, violations }));
`;

interface Violation {
  rule: string;
  from: string;
  to: string;
  cycle: string[];
}

interface CruiseReport {
  cruised: number;
  violations: Violation[];
}

function cruiseTree(roots: string[], baseDir: string, withTsConfig: boolean): CruiseReport {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', CRUISE_SCRIPT], {
    cwd: ROOT,
    input: JSON.stringify({ roots, baseDir, withTsConfig }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`dependency-cruiser failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as CruiseReport;
}

const describeViolation = (v: Violation) =>
  `${v.rule}: ${v.from} → ${v.cycle.length > 0 ? v.cycle.join(' → ') : v.to}`;

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let report: CruiseReport;

  beforeAll(() => {
    report = cruiseTree(['src', 'libs', 'test'], ROOT, true);
  }, 120_000);

  it('cruises the whole of src/, libs/ and test/', () => {
    expect(report.cruised).toBeGreaterThan(400);
  });

  it('finds no violation', () => {
    expect(report.violations.map(describeViolation)).toEqual([]);
  });
});

/** Files of a planted tree: each breaks one rule, and nothing else does. */
const PLANTED: Record<string, string> = {
  // An import circle within a module, and one closed by a type-only import.
  'src/search/ring-a.ts': "import { b } from './ring-b';\nexport const a = () => b;",
  'src/search/ring-b.ts': "import { a } from './ring-a';\nexport const b = () => a;",
  'src/search/typed-a.ts': "import type { B } from './typed-b';\nexport const a = (x: B) => x;",
  'src/search/typed-b.ts': "import { a } from './typed-a';\nexport type B = typeof a;",
  // A module reaching into another module's folder.
  'src/users/reach.ts': "import { order } from '../orders/order';\nexport const r = order;",
  'src/orders/order.ts': 'export const order = 1;',
  // The platform importing the contracts.
  'libs/platform/src/http/knows.ts':
    "import { rule } from '../../../contracts/src/rule';\nexport const k = rule;",
  'libs/contracts/src/rule.ts': 'export const rule = 1;',
  // Two platform folders importing each other (no file circle, a folder one).
  'libs/platform/src/up/one.ts': "import { two } from '../down/two';\nexport const one = two;",
  'libs/platform/src/down/two.ts':
    "import { three } from '../up/three';\nexport const two = three;",
  'libs/platform/src/up/three.ts': 'export const three = 3;',
  // The demo data importing project code, and a library depending on the demo data.
  'libs/demo/src/catalogue.ts':
    "import { order } from '../../../src/orders/order';\nexport const c = order;",
  'libs/contracts/src/seeded.ts':
    "import { c } from '../../demo/src/catalogue';\nexport const s = c;",
};

describe('dependency rules on a planted tree', () => {
  const tree = useTempDir('mfm-boundaries-', (dir) => {
    for (const [path, code] of Object.entries(PLANTED)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `${code}\n`);
    }
  });
  let found: string[];

  beforeAll(() => {
    found = cruiseTree(['src', 'libs'], tree(), false).violations.map(describeViolation);
  }, 120_000);

  it.each([
    ['an import circle', 'no-circular: src/search/ring-a.ts'],
    ['an import circle closed by a type-only import', 'no-circular: src/search/typed-a.ts'],
    [
      "a module importing another module's folder",
      'users-imports-no-other-module: src/users/reach.ts',
    ],
    [
      'the platform importing the contracts',
      'platform-is-infrastructure: libs/platform/src/http/knows.ts',
    ],
    ['two platform folders importing each other', 'no-platform-folder-cycle: libs/platform/src/'],
    ['the demo data importing project code', 'demo-is-data: libs/demo/src/catalogue.ts'],
    ['a library depending on the demo data', 'only-modules-use-demo: libs/contracts/src/seeded.ts'],
  ])('refuses %s', (_what, violation) => {
    expect(found.filter((line) => line.startsWith(violation))).not.toEqual([]);
  });

  it('refuses nothing else', () => {
    const expected =
      /^(no-circular: src\/search\/(ring|typed)-|users-imports-no-other-module: src\/users\/reach|platform-is-infrastructure: libs\/platform\/src\/http\/knows|no-platform-folder-cycle: libs\/platform\/src\/(up|down)|demo-is-data: libs\/demo\/src\/catalogue|only-modules-use-demo: libs\/contracts\/src\/seeded)/;
    expect(found.filter((line) => !expected.test(line))).toEqual([]);
  });
});
