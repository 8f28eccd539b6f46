// Nest 12 ships ES modules only; Jest's CommonJS runtime cannot require them, so SWC
// compiles them (and our TypeScript) to CommonJS. The app itself runs them natively. The same
// goes for `cookie` (ESM only) and @fastify/cookie, which loads it with a dynamic import() that
// Jest's CommonJS runtime refuses; compiled, it becomes a require. otplib's encoders and hashes
// (@scure, @noble) are ES modules as well.
const { LIBRARIES } = require('./scripts/path-aliases');
const swc = ['@swc/jest', { ...require('./scripts/swc-options'), sourceMaps: 'inline' }];

const common = {
  testEnvironment: 'node',
  // The web app's own tests run with Vitest (npm run test:web); mutation testing's sandboxes are
  // copies of the tree.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/web/', '<rootDir>/.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@fastify/static|@fastify/cookie|cookie|content-disposition|@scure|@noble|cockatiel)/)',
  ],
  moduleNameMapper: {
    [`^@mfm/(${LIBRARIES})$`]: '<rootDir>/libs/$1/src',
    [`^@mfm/(${LIBRARIES})/(.*)$`]: '<rootDir>/libs/$1/src/$2',
  },
};

module.exports = {
  // Two workers on two cores: an e2e suite spends much of its time waiting on the store it
  // started (sockets, timers, child processes), so two suites at once keep both cores busy.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
        '<rootDir>/test/deploy/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'],
    },
    {
      // The web app in Debian's Chromium, against the built store in both topologies.
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'],
    },
    {
      // docker-compose.yml, the gateway, the image layout and deploy/k8s, proven without an engine.
      ...common,
      displayName: 'deploy',
      testMatch: ['<rootDir>/test/deploy/**/*.deploy-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'],
    },
  ],
};
