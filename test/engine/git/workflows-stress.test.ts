/** A small version of `test/bench/promote-stress.ts`: concurrent promoters against one bare origin. */
import { describe, expect, it } from 'vitest';
import { runPromoteStress } from '../../bench/promote-stress.js';

describe('concurrent promotions', () => {
  it('lands every promotion commit on origin exactly once (4 promoters × 5 rounds)', async () => {
    const r = await runPromoteStress({ promoters: 4, rounds: 5 });
    expect(r.failures).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(r.duplicated).toEqual([]);
    expect(r.leftovers).toEqual([]);
    expect(r.onOrigin).toBe(20);
    expect(r.expected).toBe(20);
  }, 240_000);
});
