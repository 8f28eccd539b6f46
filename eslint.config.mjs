// ESLint flat config (ESLint 10, typescript-eslint 8, typed linting through the project service).
//
// The part that matters most is the module boundary (docs/ARCHITECTURE.md, "The two libraries"): a file in
// src/<module>/ may import its own folder, @mfm/contracts/*, @mfm/platform/*, @mfm/demo/* (the
// demo store the seeds share) and packages, never another module's folder nor the application
// root; libs/ never import src/. It is built from
// core `no-restricted-imports` with one override per module and folder depth, because the rule
// matches the import string as written and `../products` means src/products only one level down.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const MODULES = ['users', 'products', 'search', 'orders', 'logging'];
const LIBS = ['contracts', 'platform', 'demo'];
/** Folder depths below src/<module>/ and libs/<lib>/src/ that get an exact override (0 = the folder itself). */
const MAX_DEPTH = 10;

const up = (levels) => `(?:\\.\\./){${levels}}`;
const alternatives = (names) => names.map((name) => name.replace(/[.]/g, '\\.')).join('|');
const files = (root, depth) => [`${root}/${'*/'.repeat(depth)}*.{ts,mts,cts,js,mjs,cjs}`];

/** `no-restricted-imports` for a file `depth` folders below src/<module>/. */
function moduleBoundary(module, depth) {
  const others = MODULES.filter((name) => name !== module);
  const toSrc = `^(?:\\./)?${up(depth + 1)}`; // climbs exactly out of src/<module>/ into src/
  return {
    name: `mfm/boundary/src/${module}/depth-${depth}`,
    files: files(`src/${module}`, depth),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `${toSrc}(?:${alternatives(others)})(?:/|$)`,
              message: `src/${module} must not import another module's folder. Call it through its client in @mfm/contracts/<module>.contract; shared code belongs in @mfm/platform.`,
            },
            {
              regex: `^(?:/.*/)?src/(?:${alternatives(others)})(?:/|$)`,
              message: `src/${module} must not import another module's folder. Call it through its client in @mfm/contracts/<module>.contract; shared code belongs in @mfm/platform.`,
            },
            {
              // Anything else outside the module: the application root (app.module, bootstrap,
              // main) or libs/ by a relative path instead of the @mfm aliases.
              regex: `${toSrc}(?!(?:${alternatives(MODULES)})(?:/|$))`,
              message: `src/${module} may import only its own folder, @mfm/contracts/* and @mfm/platform/* (use the aliases, not relative paths to libs/ or the application root).`,
            },
          ],
        },
      ],
    },
  };
}

/**
 * The platform is infrastructure, which @mfm/contracts builds on: no folder of it imports the
 * contracts, the generated client or the demo data (what it needs of the modules is bound by the
 * application: PlatformOptions.bindings).
 */
const PLATFORM_KNOWS_NOT = {
  platform: [
    {
      regex: '^@mfm/(?:contracts|client|demo)(?:/|$)',
      message:
        'libs/platform is infrastructure, which @mfm/contracts builds on: it must not import the contracts, the client or the demo data (declare what it needs and let the application bind it: PlatformOptions.bindings).',
    },
  ],
};

/** `no-restricted-imports` for a file `depth` folders below libs/<lib>/src/. */
function libBoundary(lib, depth) {
  return {
    name: `mfm/boundary/libs/${lib}/depth-${depth}`,
    files: files(`libs/${lib}/src`, depth),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // libs/<lib>/src/<depth folders>/x.ts + (depth + 3) × ../ = the repository root.
              regex: `^(?:\\./)?${up(depth + 3)}src(?:/|$)`,
              message:
                'libs/ must not import from src/: the application depends on the libraries, never the reverse.',
            },
            {
              regex:
                '^(?:/.*/)?src/(?:' +
                alternatives([...MODULES, 'main', 'bootstrap', 'app.module']) +
                ')(?:[/.]|$)',
              message:
                'libs/ must not import from src/: the application depends on the libraries, never the reverse.',
            },
            {
              // Out of libs/<lib>/src by any other relative path (another lib, or the repository).
              regex: `^(?:\\./)?${up(depth + 1)}(?!src(?:/|$))(?!${up(2)}src(?:/|$))`,
              message: `libs/${lib} may reach other code only through package names (@mfm/contracts/*, @mfm/platform/*), not relative paths out of its src/ folder.`,
            },
            ...(PLATFORM_KNOWS_NOT[lib] ?? []),
          ],
        },
      ],
    },
  };
}

const boundaries = [
  ...MODULES.flatMap((module) =>
    Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => moduleBoundary(module, depth)),
  ),
  ...LIBS.flatMap((lib) =>
    Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => libBoundary(lib, depth)),
  ),
  {
    // Deeper than any override above: refuse the nesting rather than leave it unchecked.
    name: 'mfm/boundary/too-deep',
    files: [
      ...MODULES.map((m) => `src/${m}/${'*/'.repeat(MAX_DEPTH + 1)}**/*`),
      ...LIBS.map((l) => `libs/${l}/src/${'*/'.repeat(MAX_DEPTH + 1)}**/*`),
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: `Folders nest deeper than ${MAX_DEPTH} levels; raise MAX_DEPTH in eslint.config.mjs.`,
            },
          ],
        },
      ],
    },
  },
];

export default defineConfig(
  {
    name: 'mfm/ignores',
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'bench/results/**',
      // Mutation testing's sandboxes (copies of the tree) and reports.
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  {
    name: 'mfm/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    name: 'mfm/typescript',
    files: ['**/*.{ts,mts,cts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Bugs rather than style.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      'no-implicit-coercion': 'error',
      'no-param-reassign': 'error',
      'no-return-assign': 'error',
      'no-throw-literal': 'off',
      'prefer-const': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // Nest injects by the runtime class: `import type` of an injected class breaks DI under
      // emitDecoratorMetadata, so type-only import style is deliberately not enforced.
      '@typescript-eslint/consistent-type-imports': 'off',
      // Nest modules and DTO holders are legitimately empty or static-only classes.
      '@typescript-eslint/no-extraneous-class': 'off',
      // async handlers without await are common in Nest (interface conformance).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Imports read the same way in every file: Node's built-ins and packages, then the store's
    // libraries (@mfm/*), then the file's own folder and its neighbours. Import cycles are
    // dependency-cruiser's to refuse (.dependency-cruiser.cjs, test/unit/boundaries.spec.ts): it
    // walks the whole graph once, where a lint rule walks it again from every file.
    name: 'mfm/imports',
    files: ['src/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/internal-regex': '^@mfm/',
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/first': 'error',
      'import-x/order': [
        'error',
        { groups: ['builtin', 'external', 'internal', ['parent', 'sibling', 'index']] },
      ],
    },
  },
  {
    // A message handler without the RPC context interceptor would lose the caller's request id,
    // trace, metrics and shutdown tracking: handlers are bound with @RpcHandler (or @Handles).
    name: 'mfm/rpc-handlers',
    files: ['src/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/platform/src/rpc/rpc-handler.decorator.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='@nestjs/microservices'] ImportSpecifier[imported.name=/^(MessagePattern|EventPattern)$/]",
          message:
            'Bind message handlers with @RpcHandler (@mfm/platform/rpc/rpc-handler.decorator) or @Handles, which add the RPC context interceptor.',
        },
      ],
    },
  },
  {
    // The web app: browser code with its own tsconfig (web/tsconfig.json; its build files:
    // web/tsconfig.node.json), and React's rules of hooks.
    name: 'mfm/web',
    files: ['web/**/*.{ts,mts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['web/tsconfig.json', 'web/tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.browser },
    },
  },
  {
    name: 'mfm/web-build',
    files: ['web/*.mts', 'web/build/**/*.mts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'mfm/tests',
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      // Black-box tests read untyped JSON bodies.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
  {
    name: 'mfm/javascript',
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'mfm/commonjs',
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...boundaries,
  prettier,
);
