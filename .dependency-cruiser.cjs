/**
 * The project's dependency rules (docs/ARCHITECTURE.md, "The two libraries"), checked by
 * test/unit/boundaries.spec.ts over src/, libs/ and test/ (also by hand: `npx depcruise src libs test`).
 */
const MODULES = ['users', 'products', 'search', 'orders', 'logging'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No file may import itself back through others: no import circles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-is-infrastructure',
      comment:
        "The platform is infrastructure that knows no module: no folder of it imports the contracts, a module's folder, the generated client or the demo data (what it needs of the modules is bound by the application: PlatformOptions.bindings).",
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^(libs/contracts|libs/client|libs/demo|src)/' },
    },
    {
      name: 'demo-is-data',
      comment:
        'libs/demo is the demo store the seeds share: plain data that imports no project code, and only modules use it.',
      severity: 'error',
      from: { path: '^libs/demo/' },
      to: { path: '^(libs/(?!demo/)|src/)' },
    },
    {
      name: 'only-modules-use-demo',
      comment: 'The demo store is seed data: the libraries never depend on it.',
      severity: 'error',
      from: { path: '^libs/(?!demo/)' },
      to: { path: '^libs/demo/' },
    },
    ...MODULES.map((module) => ({
      name: `${module}-imports-no-other-module`,
      comment: `src/${module} talks to other modules through the contracts only, never by importing their folders.`,
      severity: 'error',
      from: { path: `^src/${module}/` },
      to: { path: `^src/(?!${module}/)` },
    })),
    {
      name: 'no-platform-folder-cycle',
      comment:
        'The folders of libs/platform form layers: none imports, through others, back into itself.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^libs/platform/src/' },
      to: { path: '^libs/platform/src/', circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
