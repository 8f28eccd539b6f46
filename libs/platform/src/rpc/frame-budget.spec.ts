import { batchBudget, countWithinBudget } from './frame-budget';

describe('frame budget', () => {
  it('is half of the frame limit', () => {
    const bus = { maxFrameBytes: 1_048_576, frameTimeoutMs: 1, tlsDir: '' };
    expect(batchBudget({ bus: { ...bus, maxConnections: 8, maxConnectionsPerAddress: 4 } })).toBe(
      524_288,
    );
  });

  it('counts the leading items that fit, and never fewer than one', () => {
    expect(countWithinBudget([10, 20, 30], 100)).toBe(3);
    expect(countWithinBudget([10, 20, 30], 30)).toBe(2);
    expect(countWithinBudget([10, 20, 30], 29)).toBe(1);
    expect(countWithinBudget([500, 1], 100)).toBe(1);
    expect(countWithinBudget([], 100)).toBe(0);
  });
});
