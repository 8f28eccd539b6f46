import type { AuditEvent } from '../api/api.types';
import { formatPrice } from '../format/money.format';

export const AUDIT_TYPES = [
  'product_created',
  'product_updated',
  'product_archived',
  'order_placed',
  'order_cancelled',
  'user_created',
  'user_updated',
  'login',
  'logout',
  'search',
  'search_reindexed',
  'search_synonyms_changed',
  'backup_created',
  'backup_downloaded',
] as const;

const TYPE_LABELS: Record<string, string> = {
  product_created: 'Product created',
  product_updated: 'Product changed',
  product_archived: 'Product archived',
  order_placed: 'Order placed',
  order_cancelled: 'Order cancelled',
  user_created: 'Account created',
  user_updated: 'Account changed',
  login: 'Signed in',
  logout: 'Signed out',
  search: 'Searched',
  search_reindexed: 'Search index rebuilt',
  search_synonyms_changed: 'Search synonyms changed',
  backup_created: 'Backup made',
  backup_failed: 'Backup failed',
  backup_downloaded: 'Backup downloaded',
  order_reconciled: 'Order corrected after a restore',
};

export function eventTypeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type.replace(/_/g, ' ');
}

const FIELD_LABELS: Record<string, string> = {
  priceCents: 'price',
  stock: 'stock',
  category: 'category',
  name: 'name',
  description: 'description',
  role: 'role',
  enabled: 'enabled',
  email: 'email',
  firstName: 'first name',
  lastName: 'last name',
};

function value(field: string, raw: unknown): string {
  if (field === 'priceCents' && typeof raw === 'number') return formatPrice(raw);
  if (typeof raw === 'string') return raw.length > 40 ? `“${raw.slice(0, 40)}…”` : `“${raw}”`;
  return String(raw);
}

/** The event's payload in a few words: "price £2.49 → £2.99", "total £12.40". */
export function describeEvent(event: AuditEvent): string {
  const payload = event.payload ?? {};
  const changes = payload.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  if (changes) {
    return Object.entries(changes)
      .map(
        ([field, change]) =>
          `${FIELD_LABELS[field] ?? field} ${value(field, change.from)} → ${value(field, change.to)}`,
      )
      .join('; ');
  }
  if (event.type === 'order_placed' && typeof payload.totalCents === 'number')
    return `total ${formatPrice(payload.totalCents)}`;
  if (event.type === 'product_created' && typeof payload.priceCents === 'number')
    return `price ${formatPrice(payload.priceCents)}, stock ${String(payload.stock)}`;
  if (event.type === 'search_reindexed') return `${String(payload.indexed)} products indexed`;
  if (event.type === 'search_synonyms_changed') return describeSynonymChange(payload);
  if (event.type === 'user_created' && typeof payload.role === 'string')
    return `as ${payload.role}`;
  return '';
}

const SYNONYM_ACTIONS: Record<string, string> = {
  created: 'added',
  updated: 'changed to',
  removed: 'removed',
};

/** "added crisps, chips"; "changed to crisps, chips, fries (was crisps, chips)". */
function describeSynonymChange(payload: Record<string, unknown>): string {
  const words = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : '');
  const action = SYNONYM_ACTIONS[String(payload.action)] ?? String(payload.action);
  const was = payload.previousTerms ? ` (was ${words(payload.previousTerms)})` : '';
  return `${[action, words(payload.terms)].filter(Boolean).join(' ')}${was}`;
}

/** Who did it: a username, or the store itself (demo data, the first start). */
export function actorLabel(event: AuditEvent): string {
  return event.actor?.username ?? 'the store (demo data)';
}
