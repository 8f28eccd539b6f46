/**
 * The project's dependency rules (docs/ARCHITECTURE.md, "The two libraries"), checked by
 * test/unit/boundaries.spec.ts over src/ and libs/ (also by hand: `npx depcruise src libs`).
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
        "The platform knows no module: it never imports the contracts, a module's folder or the generated client.",
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^(libs/contracts|libs/client|src)/' },
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
