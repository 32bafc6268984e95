import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { parseTimeout } from '../../src/cli/commands/sync-wait.js';

describe('sync --wait --timeout', () => {
  it('parses durations in seconds, minutes and hours', () => {
    expect(parseTimeout('90')).toBe(90);
    expect(parseTimeout('90s')).toBe(90);
    expect(parseTimeout('5m')).toBe(300);
    expect(parseTimeout('1h')).toBe(3600);
  });

  it('refuses anything else with a one-line usage error', () => {
    for (const bad of ['soon', '0', '-5s', '5d', ''])
      expect(() => parseTimeout(bad), bad).toThrow(/--timeout must be a duration/);
  });

  it('reaches Args', () => {
    expect(parseCommandLine(['sync', 'a', '--wait', '--timeout', '2m'])).toMatchObject({
      wait: true,
      timeout: 120,
    });
    expect(parseCommandLine(['sync', 'a']).timeout).toBeUndefined();
  });
});
