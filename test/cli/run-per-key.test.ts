import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { runPerKey } from '../../src/cli/commands/run-per-key.js';

describe('runPerKey', () => {
  it('runs keys concurrently, at most `limit` per key, each key in its order; a failure stops nothing', async () => {
    const items = ['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'c1'];
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const started: string[] = [];
    const release: (() => void)[] = [];
    const done = runPerKey(items, {
      key: (i) => i[0]!,
      limit: 2,
      run: async (i) => {
        const k = i[0]!;
        started.push(i);
        inFlight.set(k, (inFlight.get(k) ?? 0) + 1);
        peak.set(k, Math.max(peak.get(k) ?? 0, inFlight.get(k)!));
        await new Promise<void>((r) => release.push(r));
        inFlight.set(k, inFlight.get(k)! - 1);
        if (i === 'a2') throw new Error('boom');
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    // Every cluster started at once, two of a, both of b, c's one.
    expect([...started].sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    while (started.length < items.length || release.length > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    await done;
    expect(started.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(Object.fromEntries(peak)).toEqual({ a: 2, b: 2, c: 1 });
  });
});

describe('sync flags', () => {
  it('parses --all-out-of-sync with --env and --cluster', () => {
    const a = parseCommandLine(['sync', '--all-out-of-sync', '--env', 'prod', '--cluster', 'production']);
    expect(a).toMatchObject({ command: 'sync', allOutOfSync: true, env: 'prod', cluster: 'production' });
    expect(parseCommandLine(['sync', 'x']).allOutOfSync).toBe(false);
  });
});
