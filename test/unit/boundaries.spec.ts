import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The dependency rules of .dependency-cruiser.cjs (docs/ARCHITECTURE.md, "The two libraries"),
 * checked over the real src/ and libs/: no import circle, a platform that knows no module, modules
 * that import no other module's folder, and platform folders in layers (no folder cycle).
 *
 * dependency-cruiser is an ES module, which Jest's CommonJS sandbox cannot import(), so its API
 * runs in a plain Node child process that prints the violations as JSON.
 */
const ROOT = resolve(__dirname, '../..');

const CRUISE_SCRIPT = `
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const result = await cruise(['src', 'libs'], options, {}, { tsConfig: extractTSConfig('tsconfig.json') });
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

function cruiseProject(): CruiseReport {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', CRUISE_SCRIPT], {
    cwd: ROOT,
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
    report = cruiseProject();
  }, 120_000);

  it('cruises the whole of src/ and libs/', () => {
    expect(report.cruised).toBeGreaterThan(300);
  });

  it('finds no violation', () => {
    expect(report.violations.map(describeViolation)).toEqual([]);
  });
});
