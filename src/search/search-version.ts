import type { EntityManager } from 'typeorm';

/**
 * Bumps the search module's shared version (search_index_state), first thing in every transaction
 * that changes the index or its synonyms. On PostgreSQL the row lock it takes makes the module's
 * writers take turns, so versions commit in order, the products a change writes carry its version
 * (the upsert reads it), and a write reads everything committed before it. Other replicas are
 * stale from its commit on.
 */
export async function bumpSearchVersion(manager: EntityManager): Promise<void> {
  await manager.query('UPDATE search_index_state SET "version" = "version" + 1 WHERE "id" = 1');
}
