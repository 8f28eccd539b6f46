// @ts-check
// Mutation testing of the store's core rules (npm run test:mutation; not part of CI): Stryker
// changes the rules' code one small mutant at a time and runs the unit specs that cover it; a
// mutant that no spec notices is a rule no test pins down. CONTRIBUTING.md#mutation-testing.
import jestConfig from './jest.config.js';

const unit = jestConfig.projects.find((project) => project.displayName === 'unit');

/** The rules under test, and the specs that hold them. */
const RULES = [
  'src/orders/pricing.ts',
  'src/orders/order-outcome.ts',
  'src/orders/place-order.service.ts',
  'src/orders/idempotency.service.ts',
  'src/products/stock.service.ts',
  'src/users/sessions/login-throttle.service.ts',
  // The two-factor challenge of a sign-in: from issuing it to completing it, and its limits.
  'src/users/two-factor/two-factor-challenges.service.ts',
  'src/users/two-factor/second-factor-codes.service.ts',
];
const SPECS = [
  'src/orders/pricing.spec.ts',
  'src/orders/order-outcome.spec.ts',
  'src/orders/place-order.service.spec.ts',
  'src/orders/idempotency.service.spec.ts',
  'src/products/stock.service.spec.ts',
  'src/users/sessions/login-throttle.service.spec.ts',
  'src/users/two-factor/two-factor-challenges.service.spec.ts',
  'src/users/two-factor/second-factor-codes.service.spec.ts',
  'src/users/two-factor/two-factor-enrolment.service.spec.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // The unit project alone (no e2e store is started), and only the specs of these rules.
    config: {
      ...unit,
      projects: undefined,
      testMatch: SPECS.map((spec) => `<rootDir>/${spec}`),
      setupFilesAfterEnv: ['<rootDir>/test/support/stryker-setup.ts'],
    },
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: RULES,
  coverageAnalysis: 'perTest',
  // The machine is shared: two test processes at most.
  concurrency: 2,
  incremental: false,
  // A mutant of a module-level constant would need every spec run again: left out.
  ignoreStatic: true,
  // Generous: on a busy machine a slow run is not a hung mutant, and a timeout restarts Jest.
  timeoutMS: 60_000,
  ignorePatterns: [
    'dist',
    'web',
    'docs',
    'bench',
    'deploy',
    'docker',
    'data',
    'reports',
    'coverage',
  ],
  tempDirName: '.stryker-tmp',
  // event-recorder writes each mutant's result as it is tested: an interrupted run still tells.
  reporters: ['clear-text', 'progress', 'html', 'json', 'event-recorder'],
  eventReporter: { baseDir: 'reports/mutation/events' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 70, break: 70 },
};
