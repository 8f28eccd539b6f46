import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../api/api.types';
import { describeEvent, eventTypeLabel } from './audit-event.format';

const synonymEvent = (payload: Record<string, unknown>): AuditEvent => ({
  eventId: '3f0c1d0e-6a52-4a8e-9d1e-2b9d8f6c1a77',
  occurredAt: '2026-01-01T00:00:00.000Z',
  type: 'search_synonyms_changed',
  actor: { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' },
  subject: { kind: 'search', id: '5b2e8c1d-7f3a-4c6e-9d0b-1a2f3e4d5c6b', name: 'crisps, chips' },
  payload,
});

describe('a change of the search synonyms in the audit log', () => {
  it('is labelled as such', () => {
    expect(eventTypeLabel('search_synonyms_changed')).toBe('Search synonyms changed');
  });

  it('says what was added, changed or removed, and what a changed group held before', () => {
    expect(describeEvent(synonymEvent({ action: 'created', terms: ['crisps', 'chips'] }))).toBe(
      'added crisps, chips',
    );
    expect(
      describeEvent(
        synonymEvent({
          action: 'updated',
          terms: ['crisps', 'chips', 'fries'],
          previousTerms: ['crisps', 'chips'],
        }),
      ),
    ).toBe('changed to crisps, chips, fries (was crisps, chips)');
    expect(describeEvent(synonymEvent({ action: 'removed', terms: ['crisps', 'chips'] }))).toBe(
      'removed crisps, chips',
    );
  });

  it('still reads when the payload is not what it expects', () => {
    expect(describeEvent(synonymEvent({ action: 'merged', terms: 'crisps' }))).toBe('merged');
  });
});
