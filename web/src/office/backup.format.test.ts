import { describe, expect, it } from 'vitest';
import { asSentence, backupPollDelayMs, formatBytes, formatDuration } from './backup.format';

describe('backup sizes', () => {
  it('counts bytes below a kilobyte', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(812)).toBe('812 bytes');
    expect(formatBytes(999)).toBe('999 bytes');
  });

  it('writes larger sizes in the largest unit with three significant digits', () => {
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(1536)).toBe('1.54 kB');
    expect(formatBytes(102_323)).toBe('102 kB');
    expect(formatBytes(1_460_000)).toBe('1.46 MB');
    expect(formatBytes(25_000_000)).toBe('25 MB');
    expect(formatBytes(3_210_000_000)).toBe('3.21 GB');
    expect(formatBytes(4_500_000_000_000)).toBe('4.5 TB');
  });

  it('moves to the next unit rather than write "1,000 kB"', () => {
    expect(formatBytes(999_499)).toBe('999 kB');
    expect(formatBytes(999_999)).toBe('1 MB');
    expect(formatBytes(999_999_999)).toBe('1 GB');
  });

  it('stays in terabytes beyond them', () => {
    expect(formatBytes(2_000_000_000_000_000)).toBe('2,000 TB');
  });
});

describe('the store’s warnings as sentences', () => {
  it('starts with a capital and ends with a full stop', () => {
    expect(
      asSentence("the newest backup (x.tar.gz) is older than twice BACKUP_SCHEDULE's interval"),
    ).toBe("The newest backup (x.tar.gz) is older than twice BACKUP_SCHEDULE's interval.");
    expect(asSentence('Already a sentence.')).toBe('Already a sentence.');
    expect(asSentence('  spaced  ')).toBe('Spaced.');
    expect(asSentence('')).toBe('');
  });
});

describe('following a running backup', () => {
  it('asks every second at first, then less often', () => {
    expect(backupPollDelayMs(0)).toBe(1_000);
    expect(backupPollDelayMs(4_999)).toBe(1_000);
    expect(backupPollDelayMs(5_000)).toBe(3_000);
    expect(backupPollDelayMs(29_999)).toBe(3_000);
    expect(backupPollDelayMs(30_000)).toBe(10_000);
    expect(backupPollDelayMs(3_600_000)).toBe(10_000);
  });

  it('stays within the default budget (30 listings an hour) for a backup of a minute', () => {
    let requests = 0;
    for (let at = 0; at < 60_000; at += backupPollDelayMs(at)) requests++;
    expect(requests).toBeLessThanOrEqual(20);
  });
});

describe('backup durations', () => {
  it('writes seconds with one decimal, minutes and seconds beyond a minute', () => {
    expect(formatDuration(2_430)).toBe('2.4 s');
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(-5)).toBe('0.0 s');
    expect(formatDuration(59_960)).toBe('1 min 00 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(600_400)).toBe('10 min 00 s');
  });
});
