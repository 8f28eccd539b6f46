import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The module boundary (docs/ARCHITECTURE.md, "The two libraries") is a lint rule (eslint.config.mjs). These tests lint snippets
 * as if they lived at a given path, with the project's real configuration, and check that the
 * rule says no exactly where it should.
 *
 * ESLint loads eslint.config.mjs with a dynamic import(), which Jest's CommonJS sandbox refuses
 * ("A dynamic import callback was invoked without --experimental-vm-modules"), so the ESLint Node
 * API runs in a plain Node child process, once for all snippets.
 */
const ROOT = resolve(__dirname, '../..');
const MODULES = ['users', 'products', 'search', 'orders', 'logging'] as const;

interface Snippet {
  filePath: string;
  code: string;
}

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  fatal?: boolean;
}

// The snippets are not files of the TypeScript project, so type-aware rules are switched off
// (typescript-eslint's disableTypeChecked); the boundary rule does not need types.
const LINT_SCRIPT = `
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
const snippets = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
const results = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code + '\\n', { filePath: resolve(filePath) });
  results.push(result.messages);
}
process.stdout.write(JSON.stringify(results));
`;

function lintAll(snippets: Snippet[]): LintMessage[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT_SCRIPT], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0)
    throw new Error(`ESLint run failed (${run.status ?? run.signal}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as LintMessage[][];
}

type Case = Snippet & { name: string; errors: 0 | 1; mentions?: string };

const refused = (name: string, filePath: string, code: string, mentions?: string): Case => ({
  name,
  filePath,
  code,
  errors: 1,
  mentions,
});
const allowed = (name: string, filePath: string, code: string): Case => ({
  name,
  filePath,
  code,
  errors: 0,
});

const CASES: Case[] = [
  // Imports across module folders, and into the application root.
  refused(
    'module root file importing another module',
    'src/users/x.ts',
    "import { ProductsModule } from '../products/products.module';",
    "must not import another module's folder",
  ),
  refused(
    'subfolder file importing another module',
    'src/orders/dto/x.ts',
    "import { AuditEvent } from '../../logging/entities/audit-event.entity';",
    'src/orders',
  ),
  allowed(
    'a module importing a contract',
    'src/users/x.ts',
    "import { UsersClient } from '@mfm/contracts/users.contract';\nexport const c = UsersClient;",
  ),
  allowed(
    'a module importing its own folder',
    'src/users/x.ts',
    "import { User } from './entities/user.entity';\nexport const u = User;",
  ),
  refused(
    'libs importing src',
    'libs/platform/src/x.ts',
    "import { UsersModule } from '../../../src/users/users.module';",
    'libs/ must not import from src/',
  ),

  // Every module against every other, in every import form, at two depths.
  ...MODULES.flatMap((module) =>
    MODULES.filter((other) => other !== module).flatMap((other) => [
      refused(
        `${module} → ${other} (named import)`,
        `src/${module}/x.ts`,
        `import { A } from '../${other}/${other}.module';`,
      ),
      refused(
        `${module} → ${other} (type import)`,
        `src/${module}/x.ts`,
        `import type { B } from '../${other}/entities/thing.entity';`,
      ),
      refused(
        `${module} → ${other} (re-export)`,
        `src/${module}/x.ts`,
        `export * from '../${other}/dto/thing.dto';`,
      ),
      refused(
        `${module} → ${other} (side-effect import of the folder)`,
        `src/${module}/x.ts`,
        `import '../${other}';`,
      ),
      refused(
        `${module} → ${other} (two levels down)`,
        `src/${module}/a/b/x.ts`,
        `import { C } from '../../../${other}/c';`,
      ),
      refused(
        `${module} → ${other} (src/ path)`,
        `src/${module}/x.ts`,
        `import { D } from 'src/${other}/d';`,
      ),
    ]),
  ),

  // Out of the module, but not into another one.
  refused(
    'a module importing the application root',
    'src/users/x.ts',
    "import { AppModule } from '../app.module';",
    'may import only its own folder',
  ),
  refused(
    'a module importing bootstrap from a subfolder',
    'src/users/dto/x.ts',
    "import { bootstrap } from '../../bootstrap';",
  ),
  refused(
    'a module reaching libs/ by a relative path',
    'src/users/x.ts',
    "import { AppError } from '../../libs/platform/src/errors/error-body';",
  ),

  // What a module may import.
  ...MODULES.map((module) =>
    allowed(
      `${module} importing contracts, platform and packages`,
      `src/${module}/x.ts`,
      [
        "import { UsersClient } from '@mfm/contracts/users.contract';",
        "import { peerClients } from '@mfm/contracts';",
        "import { AppError } from '@mfm/platform/errors/error-body';",
        "import { Module } from '@nestjs/common';",
        "import { randomUUID } from 'node:crypto';",
        'export const all = [UsersClient, peerClients, AppError, Module, randomUUID];',
      ].join('\n'),
    ),
  ),
  allowed(
    'own folder from a subfolder',
    'src/users/dto/x.ts',
    "import { User } from '../entities/user.entity';\nexport const u = User;",
  ),
  allowed(
    'own folder from two levels down',
    'src/users/tokens/deep/x.ts',
    "import { User } from '../../entities/user.entity';\nexport const u = User;",
  ),
  allowed(
    'own folder by climbing out and back in',
    'src/orders/dto/x.ts',
    "import { Y } from '../../orders/orders.module';\nexport const y = Y;",
  ),
  // One level down, '../products' is src/orders/products: a folder of orders itself.
  allowed(
    'a subfolder of its own named like another module',
    'src/orders/dto/x.ts',
    "import { Line } from '../products/line';\nexport const l = Line;",
  ),
  allowed(
    'the application root wiring the modules',
    'src/app.module.ts',
    "import { UsersModule } from './users/users.module';\nexport const m = UsersModule;",
  ),

  // libs/
  refused(
    'contracts importing bootstrap',
    'libs/contracts/src/x.ts',
    "import { bootstrap } from '../../../src/bootstrap';",
    'libs/ must not import from src/',
  ),
  refused(
    'platform subfolder importing a module entity',
    'libs/platform/src/rpc/x.ts',
    "import { AuditEvent } from '../../../../src/logging/entities/audit-event.entity';",
    'libs/ must not import from src/',
  ),
  refused(
    'platform importing src/ by path',
    'libs/platform/src/rpc/x.ts',
    "import { AppModule } from 'src/app.module';",
    'libs/ must not import from src/',
  ),
  refused(
    'platform reaching contracts by a relative path',
    'libs/platform/src/rpc/x.ts',
    "import { UsersClient } from '../../../contracts/src/users.contract';",
    '@mfm/contracts',
  ),
  allowed(
    'platform importing its own folder',
    'libs/platform/src/rpc/x.ts',
    "import { AppError } from '../errors/error-body';\nexport const e = AppError;",
  ),
  refused(
    'the platform importing a contract by alias (auth)',
    'libs/platform/src/auth/x.ts',
    "import { UsersClient } from '@mfm/contracts/users.contract';\nexport const c = UsersClient;",
    'libs/platform is infrastructure',
  ),
  refused(
    'platform.module importing the contracts',
    'libs/platform/src/platform.module.ts',
    "import { peerClients } from '@mfm/contracts';\nexport const c = peerClients;",
    'libs/platform is infrastructure',
  ),
  refused(
    'the platform importing the demo data',
    'libs/platform/src/testing/x.ts',
    "import { DEMO_PRODUCTS } from '@mfm/demo/demo-store';\nexport const d = DEMO_PRODUCTS;",
    'libs/platform is infrastructure',
  ),
  refused(
    'the platform importing the generated client',
    'libs/platform/src/http/x.ts',
    "import { createStoreClient } from '@mfm/client';\nexport const c = createStoreClient;",
    'libs/platform is infrastructure',
  ),
  refused(
    'the platform importing a contract (rpc)',
    'libs/platform/src/rpc/x.ts',
    "import { UsersClient } from '@mfm/contracts/users.contract';\nexport const c = UsersClient;",
    'libs/platform is infrastructure',
  ),
  refused(
    "the platform importing a contract's type, deeper down",
    'libs/platform/src/config/parts/x.ts',
    "import type { VerifiedUser } from '@mfm/contracts/users.contract';\nexport type V = VerifiedUser;",
    'libs/platform is infrastructure',
  ),
  refused(
    "the platform importing the contracts' index",
    'libs/platform/src/database/x.ts',
    "import { MODULE_PEERS } from '@mfm/contracts';\nexport const p = MODULE_PEERS;",
    'libs/platform is infrastructure',
  ),
  allowed(
    'the platform importing another of its folders',
    'libs/platform/src/database/x.ts',
    "import { AppError } from '../errors/error-body';\nexport const e = AppError;",
  ),
];

describe('module boundaries (eslint.config.mjs)', () => {
  let results: LintMessage[][];

  beforeAll(() => {
    results = lintAll(CASES);
  }, 60_000);

  it('lints every snippet without a parse error', () => {
    const fatal = CASES.flatMap((c, i) =>
      results[i].filter((m) => m.fatal).map((m) => `${c.name}: ${m.message}`),
    );
    expect(fatal).toEqual([]);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const boundary = results[i].filter(
      (m) => m.ruleId === 'no-restricted-imports' && m.severity === 2,
    );
    expect({ file: c.filePath, code: c.code, errors: boundary.length }).toEqual({
      file: c.filePath,
      code: c.code,
      errors: c.errors,
    });
    if (c.mentions) expect(boundary[0].message).toContain(c.mentions);
  });
});

/** Snippets for the import order: `rule` says the rule must refuse it (none: allowed). */
type ImportCase = Snippet & { name: string; rule?: 'import-x/order' };

const IMPORT_CASES: ImportCase[] = [
  {
    name: 'a package imported after the folder',
    filePath: 'src/search/x.ts',
    code: "import { toFtsQuery } from './fts-query';\nimport { Injectable } from '@nestjs/common';\nexport const a = [toFtsQuery, Injectable];",
    rule: 'import-x/order',
  },
  {
    name: 'a library imported after the folder',
    filePath: 'src/search/x.ts',
    code: "import { toFtsQuery } from './fts-query';\nimport { AppError } from '@mfm/platform/errors/error-body';\nexport const a = [toFtsQuery, AppError];",
    rule: 'import-x/order',
  },
  {
    name: 'built-ins and packages, then libraries, then the folder',
    filePath: 'src/search/x.ts',
    code: "import { randomUUID } from 'node:crypto';\nimport { Injectable } from '@nestjs/common';\nimport { AppError } from '@mfm/platform/errors/error-body';\nimport { toFtsQuery } from './fts-query';\nexport const a = [randomUUID, Injectable, AppError, toFtsQuery];",
  },
];

describe('import order (eslint.config.mjs)', () => {
  let results: LintMessage[][];

  beforeAll(() => {
    results = lintAll(IMPORT_CASES);
  }, 60_000);

  it.each(IMPORT_CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const refusals = results[i]
      .filter((m) => m.ruleId?.startsWith('import-x/') && m.severity === 2)
      .map((m) => m.ruleId);
    expect(refusals).toEqual(c.rule ? [c.rule] : []);
    expect(results[i].filter((m) => m.fatal)).toEqual([]);
  });
});
