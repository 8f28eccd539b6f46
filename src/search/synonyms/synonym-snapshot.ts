import type { EntityManager } from 'typeorm';
import type { SynonymGroup } from './synonym-lookup';

/** Every group, with the shared search version (search_index_state) they were read at. */
export interface SynonymSnapshot {
  at: number;
  groups: SynonymGroup[];
}

interface Row {
  at: string | number;
  id: string | null;
  terms: string | null;
  version: number | null;
  updatedAt: string | null;
}

/**
 * One statement, so the version and the groups come from the same instant on either engine: every
 * change of the groups bumps the version in its transaction, so a snapshot read at a higher
 * version is never older than one read at a lower one.
 */
const SELECT_ALL = `
  SELECT s."version" AS "at", g."id", g."terms", g."version", g."updatedAt"
  FROM search_index_state s LEFT JOIN search_synonym g ON 1 = 1
  WHERE s."id" = 1`;

export async function readSynonyms(manager: EntityManager): Promise<SynonymSnapshot> {
  const rows = await manager.query<Row[]>(SELECT_ALL);
  const groups = rows.flatMap((row): SynonymGroup[] =>
    row.id === null
      ? []
      : [
          {
            id: row.id,
            terms: JSON.parse(row.terms ?? '[]') as string[],
            version: Number(row.version),
            updatedAt: row.updatedAt ?? '',
          },
        ],
  );
  // PostgreSQL answers the bigint version as text.
  return { at: Number(rows[0]?.at ?? 0), groups };
}
