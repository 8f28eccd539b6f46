import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SearchErrors } from '@mfm/contracts/errors.contract';
import type { AuditActor } from '@mfm/contracts/logging.contract';
import type { Outbox, OutboxWriter } from '@mfm/contracts/outbox';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { SearchSynonym } from './search-synonym.entity';
import { SynonymGroup, SynonymLookup, sortGroups } from './synonym-lookup';
import { bumpSearchVersion } from '../search-version';
import { SynonymSnapshot, readSynonyms } from './synonym-snapshot';
import { foldTerm, groupProblems } from './synonym-terms';

type Action = 'created' | 'updated' | 'removed';

const sameTerms = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((term, i) => term === b[i]);

/**
 * The groups of words a search treats as the same, kept in memory for the search and written by
 * employees. Each write is one transaction of the module's write queue (the outbox's, which
 * commits the audit event with it) that also bumps search_index_state, so the other replicas
 * reload; this process installs the groups as of its own commit.
 */
@Injectable()
export class SynonymsService implements OnModuleInit {
  private groups: readonly SynonymGroup[] = [];
  private lookup = new SynonymLookup([]);
  /** The shared version the installed groups were read at: an older read finishing late is dropped. */
  private installedAt = Number.NEGATIVE_INFINITY;
  private fingerprint = '';
  private changes = 0;

  constructor(
    @InjectDataSource('search') private readonly db: DataSource,
    @Inject(outboxToken('search')) private readonly outbox: Outbox,
  ) {}

  /** Before the first search is answered. */
  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** Grows whenever the groups change (here or, once reloaded, on another replica). */
  get generation(): number {
    return this.changes;
  }

  /** Every group, by first word. */
  list(): SynonymGroup[] {
    return [...this.groups];
  }

  /** The other words of the group of a folded word ("chips" → ["crisps"]); empty when none. */
  expand(foldedTerm: string): readonly string[] {
    return this.lookup.expand(foldedTerm);
  }

  /** Reads the groups again: another replica changed the shared version. */
  async reload(): Promise<void> {
    this.install(await readSynonyms(this.db.manager));
  }

  async create(terms: readonly string[], actor: AuditActor): Promise<SynonymGroup> {
    const folded = this.validated(terms);
    return this.write(async (manager, current, out) => {
      this.assertFree(current.groups, folded);
      const now = new Date().toISOString();
      const group: SynonymGroup = { id: randomUUID(), terms: folded, version: 1, updatedAt: now };
      await manager.insert(SearchSynonym, {
        id: group.id,
        terms: JSON.stringify(folded),
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit(out, actor, 'created', group);
      return { group, groups: [...current.groups, group] };
    });
  }

  /** Only from the version the caller saw: 409 VERSION_CONFLICT if the group changed since. */
  async update(
    id: string,
    terms: readonly string[],
    version: number,
    actor: AuditActor,
  ): Promise<SynonymGroup> {
    const folded = this.validated(terms);
    return this.write(async (manager, current, out) => {
      const before = this.existing(current, id);
      if (before.version !== version)
        throw SearchErrors.SYNONYM_VERSION_CONFLICT.error(
          { expected: version, current: before.version },
          { currentVersion: before.version },
        );
      if (sameTerms(before.terms, folded)) return { group: before, groups: current.groups };
      this.assertFree(
        current.groups.filter((group) => group.id !== id),
        folded,
      );
      const group: SynonymGroup = {
        id,
        terms: folded,
        version: version + 1,
        updatedAt: new Date().toISOString(),
      };
      // No other write can come between the read above and this one: the version bump's lock
      // (one write queue per process, the row lock across replicas) orders them.
      await manager.update(
        SearchSynonym,
        { id },
        { terms: JSON.stringify(folded), version: group.version, updatedAt: group.updatedAt },
      );
      await this.audit(out, actor, 'updated', group, before.terms);
      return {
        group,
        groups: current.groups.map((other) => (other.id === id ? group : other)),
      };
    });
  }

  async remove(id: string, actor: AuditActor): Promise<void> {
    await this.write(async (manager, current, out) => {
      const group = this.existing(current, id);
      await manager.delete(SearchSynonym, { id });
      await this.audit(out, actor, 'removed', group);
      return { group, groups: current.groups.filter((other) => other.id !== id) };
    });
  }

  /**
   * One write: the shared version is bumped first (its lock puts other replicas' writes before or
   * after this one), the groups read as they are now, and what `work` leaves installed once
   * committed.
   */
  private async write(
    work: (
      manager: EntityManager,
      current: SynonymSnapshot,
      out: OutboxWriter,
    ) => Promise<{ group: SynonymGroup; groups: SynonymGroup[] }>,
  ): Promise<SynonymGroup> {
    const { group, snapshot } = await this.outbox.write(async (manager, out) => {
      await bumpSearchVersion(manager);
      const current = await readSynonyms(manager);
      const { group, groups } = await work(manager, current, out);
      return { group, snapshot: { at: current.at, groups } };
    });
    this.install(snapshot);
    return group;
  }

  private install(snapshot: SynonymSnapshot): void {
    if (snapshot.at < this.installedAt) return;
    this.installedAt = snapshot.at;
    const groups = sortGroups(snapshot.groups);
    const fingerprint = groups.map((group) => `${group.id}:${group.version}`).join(',');
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.groups = groups;
    this.lookup = new SynonymLookup(groups);
    this.changes++;
  }

  /** The terms folded, or 400 VALIDATION_FAILED naming `terms` (the DTO checks the same first). */
  private validated(terms: readonly string[]): string[] {
    const problems = groupProblems(terms);
    if (problems.length > 0) {
      const fields = [{ field: 'terms', messages: problems }];
      throw PlatformErrors.VALIDATION_FAILED.error({ fields }, { fields });
    }
    return terms.map((term) => foldTerm(term));
  }

  private existing(current: SynonymSnapshot, id: string): SynonymGroup {
    const group = current.groups.find((candidate) => candidate.id === id);
    if (!group) throw SearchErrors.SYNONYM_GROUP_NOT_FOUND.error({ id });
    return group;
  }

  /** 409 SYNONYM_TERM_TAKEN naming the first word another group already has. */
  private assertFree(others: readonly SynonymGroup[], terms: readonly string[]): void {
    for (const term of terms) {
      const holder = others.find((group) => group.terms.includes(term));
      if (holder)
        throw SearchErrors.SYNONYM_TERM_TAKEN.error(
          { term },
          { field: 'terms', term, groupId: holder.id },
        );
    }
  }

  private audit(
    out: OutboxWriter,
    actor: AuditActor,
    action: Action,
    group: SynonymGroup,
    previousTerms?: readonly string[],
  ): Promise<void> {
    return out.audit({
      type: 'search_synonyms_changed',
      actor,
      subject: { kind: 'search', id: group.id, name: group.terms.join(', ').slice(0, 200) },
      payload: { action, terms: group.terms, ...(previousTerms && { previousTerms }) },
    });
  }
}
