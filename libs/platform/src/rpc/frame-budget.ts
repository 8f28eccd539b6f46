import { AppConfig } from '../config/app-config';

/**
 * How much of a bus frame the items of one batch (an outbox batch, a page of products) may fill:
 * half of BUS_MAX_FRAME_BYTES, which leaves the envelope and any JSON escaping room to spare.
 */
export const batchBudget = (config: Pick<AppConfig, 'bus'>): number =>
  Math.floor(config.bus.maxFrameBytes / 2);

/**
 * How many of the leading items fit in `budget` characters of JSON, given each one's size: at
 * least one, as a single message always fits a frame (the limit's minimum is far above any).
 */
export function countWithinBudget(sizes: readonly number[], budget: number): number {
  let used = 0;
  for (let i = 0; i < sizes.length; i++) {
    used += sizes[i];
    if (used > budget) return Math.max(1, i);
  }
  return sizes.length;
}
