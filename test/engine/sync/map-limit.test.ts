import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../src/engine/sync/step.js';

describe('mapLimit', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 10, 20, 5, 1], 2, async (ms) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    expect(out).toEqual([60, 20, 40, 10, 2]);
    expect(most).toBe(2);
  });

  it('starts nothing new after the first rejection and rethrows it once the calls in flight settle', async () => {
    const started: number[] = [];
    const run = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await new Promise((r) => setTimeout(r, n === 1 ? 5 : 20));
      if (n === 1) throw new Error('one failed');
      return n;
    });
    await expect(run).rejects.toThrow('one failed');
    expect(started).toEqual([1, 2]);
  });
});
