import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';

describe('sync flags', () => {
  it('parses --all-out-of-sync with --env and --cluster', () => {
    const a = parseCommandLine(['sync', '--all-out-of-sync', '--env', 'prod', '--cluster', 'production']);
    expect(a).toMatchObject({ command: 'sync', allOutOfSync: true, env: 'prod', cluster: 'production' });
    expect(parseCommandLine(['sync', 'x']).allOutOfSync).toBe(false);
  });
});
