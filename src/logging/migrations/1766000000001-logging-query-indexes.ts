import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One index per filter of the log's queries, each ending in the log's order (occurredAt, seq), so a
 * page reads its rows in order and stops: by actor name as the queries compare it (LOWER, an
 * expression index on both engines), by actor id (a customer's own events), by product, by product
 * name (LOWER) and by time alone (the type has its own since the retention index). Keyset paging continues from (occurredAt, seq).
 */
const INDEXES = [
  ['IDX_audit_event_actor_name', 'LOWER("actorUsername"), "occurredAt", "seq"'],
  ['IDX_audit_event_actor_id', '"actorUserId", "occurredAt", "seq"'],
  ['IDX_audit_event_subject_time', '"subjectKind", "subjectId", "occurredAt", "seq"'],
  ['IDX_audit_event_subject_name', 'LOWER("subjectName"), "occurredAt", "seq"'],
  ['IDX_audit_event_time', '"occurredAt", "seq"'],
] as const;

export class LoggingQueryIndexes1766000000001 implements MigrationInterface {
  name = 'LoggingQueryIndexes1766000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, columns] of INDEXES)
      await queryRunner.query(`CREATE INDEX "${name}" ON "audit_event" (${columns})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
