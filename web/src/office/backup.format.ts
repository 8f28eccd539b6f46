const UNITS = ['kB', 'MB', 'GB', 'TB'] as const;
const threeDigits = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });

/** A file's size in a unit a person reads at a glance: "812 bytes", "102 kB", "1.46 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  let value = bytes;
  for (const unit of UNITS) {
    value /= 1000;
    // 999,999 bytes rounds to "1,000 kB": the next unit reads better ("1 MB").
    if (Number(value.toPrecision(3)) < 1000 || unit === UNITS[UNITS.length - 1])
      return `${threeDigits.format(value)} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The store's warnings are phrased for logs ("the newest backup … is older …"): as a sentence. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * How long to wait before asking again about a backup that has run `elapsedMs` so far: every
 * second at first (a small store backs up in a few), then less often: a long backup needs no
 * second-by-second news, and the list reads the backup folder each time.
 */
export function backupPollDelayMs(elapsedMs: number): number {
  if (elapsedMs < 5_000) return 1_000;
  if (elapsedMs < 30_000) return 3_000;
  return 10_000;
}

/** "2.4 s", "1 min 05 s": how long a backup took. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
