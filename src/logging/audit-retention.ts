/**
 * Days each high-volume audit event type is kept. Searches are the only such type by default:
 * they are not changes, and a busy shop records many. 0 keeps a type forever.
 */
export const DEFAULT_AUDIT_RETENTION_DAYS: Readonly<Record<string, number>> = { search: 30 };

/** Parses AUDIT_RETENTION_DAYS ("search=7,login_failed=90"), over the defaults. */
export function parseAuditRetention(text: string | undefined): Record<string, number> {
  const days: Record<string, number> = { ...DEFAULT_AUDIT_RETENTION_DAYS };
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([a-z][a-z0-9_]{0,49})\s*=\s*(\d{1,5})$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not type=days (e.g. search=30; 0 keeps forever)`);
    days[match[1]] = Number(match[2]);
  }
  return days;
}
