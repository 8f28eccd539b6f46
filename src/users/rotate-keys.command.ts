import 'reflect-metadata';
import { DataSource, QueryRunner } from 'typeorm';
import { loadConfig } from '@mfm/platform/config/load-config';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { dataKeyRing } from '@mfm/platform/crypto/data-keys';
import { lockDataDir } from '@mfm/platform/database/data-dir-lock';
import { placeholder } from '@mfm/platform/database/dialect';
import { moduleDataSourceOptions } from '@mfm/platform/database/module-database';
import { PLATFORM_MIGRATIONS } from '@mfm/platform/platform-migrations';
import { contextOf, SEALED_COLUMNS } from './personal-data';
import { USERS_ENTITIES, usersMigrationsWith } from './users-schema';

const BATCH = 200;

export interface RotationReport {
  keyId: string;
  rows: number;
  values: number;
}

/** `LIKE` pattern of values sealed under a key: its id with LIKE's wildcards escaped. */
const underKey = (keyId: string, json: boolean) =>
  `${json ? '{"sealed":"' : ''}enc1.${keyId.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;

/**
 * Re-encrypts every sealed value of the users database under the newest key (the first of
 * DATA_ENCRYPTION_KEYS), in batches that each commit: an interrupted run loses nothing and the
 * next run goes on with what is left. Values already under the newest key are skipped. A row that
 * changed meanwhile (the store may run on PostgreSQL) is left to its writer, which seals under the
 * newest key anyway. Once it reports nothing left, older keys can be dropped from the list.
 */
export async function rotateKeys(
  db: DataSource,
  keys: DataKeyRing,
  log: (line: string) => void = () => undefined,
): Promise<RotationReport> {
  const report: RotationReport = { keyId: keys.currentKeyId, rows: 0, values: 0 };
  const p = (n: number) => placeholder(db, n);
  for (const table of SEALED_COLUMNS) {
    const stale = table.columns
      .map(
        (c) =>
          `("${c.name}" IS NOT NULL AND "${c.name}" NOT LIKE '${underKey(keys.currentKeyId, Boolean(c.json)).replace(/'/g, "''")}' ESCAPE '\\')`,
      )
      .join(' OR ');
    let after: string | number | undefined;
    let done = 0;
    for (;;) {
      const rows = await db.query<Array<Record<string, string | null> & { k: string | number }>>(
        `SELECT "${table.key}" AS k, ${table.columns.map((c) => `"${c.name}"`).join(', ')}
         FROM "${table.table}"
         WHERE (${stale})${table.where ? ` AND ${table.where}` : ''}${after !== undefined ? ` AND "${table.key}" > ${p(1)}` : ''}
         ORDER BY "${table.key}" LIMIT ${BATCH}`,
        after !== undefined ? [after] : [],
      );
      if (rows.length === 0) break;
      await db.transaction(async (manager) => {
        for (const row of rows) {
          const changed: Array<{ name: string; from: string; to: string }> = [];
          for (const column of table.columns) {
            const value = row[column.name];
            if (value === null || value === undefined) continue;
            const next = reseal(keys, value, contextOf(column, row.k), Boolean(column.json));
            if (next !== value) changed.push({ name: column.name, from: value, to: next });
          }
          if (changed.length === 0) continue;
          // Parameters in the order their placeholders appear (`?` on SQLite is positional).
          const params: unknown[] = [];
          const bind = (value: unknown) => {
            params.push(value);
            return placeholder(manager, params.length);
          };
          const sets = changed.map((c) => `"${c.name}" = ${bind(c.to)}`).join(', ');
          const where = `"${table.key}" = ${bind(row.k)}`;
          const unchanged = changed.map((c) => `"${c.name}" = ${bind(c.from)}`).join(' AND ');
          const result = await (manager.queryRunner as QueryRunner).query(
            `UPDATE "${table.table}" SET ${sets} WHERE ${where} AND ${unchanged}`,
            params,
            true,
          );
          if ((result.affected ?? 0) > 0) {
            report.rows++;
            report.values += changed.length;
          }
        }
      });
      done += rows.length;
      after = rows[rows.length - 1].k;
      log(`${table.table}: ${done} row(s) re-encrypted so far`);
    }
  }
  return report;
}

/** A value under the newest key (plaintext left by an interrupted migration gets sealed too). */
function reseal(keys: DataKeyRing, value: string, context: string, json: boolean): string {
  if (json) {
    const body = JSON.parse(value) as { sealed?: string };
    if (!body.sealed || keys.isCurrent(body.sealed)) return value;
    return JSON.stringify({ sealed: keys.seal(keys.open(body.sealed, context), context) });
  }
  if (DataKeyRing.isSealed(value) && keys.isCurrent(value)) return value;
  const plain = DataKeyRing.isSealed(value) ? keys.open(value, context) : value;
  return keys.seal(plain, context);
}

/**
 * `node dist/main.js rotate-keys` (`npm run rotate-keys`): the users database (its SQLite file,
 * which the users process must not hold, or its PostgreSQL database, which it may) re-encrypted
 * under the newest key. Exit 0 when done, 2 on bad configuration or a file in use.
 */
export async function runRotateKeysCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const keys = dataKeyRing(config);
  if (!config.modules.users.databaseUrl) lockDataDir(config.dataDir, ['users']);
  const db = new DataSource(
    moduleDataSourceOptions('users', config, USERS_ENTITIES, [
      ...usersMigrationsWith(keys),
      ...PLATFORM_MIGRATIONS,
    ]),
  );
  await db.initialize();
  try {
    const report = await rotateKeys(db, keys, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(
      `rotate-keys: ${report.values} value(s) in ${report.rows} row(s) re-encrypted; all personal data and signing keys are under the key "${report.keyId}"\n`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}
