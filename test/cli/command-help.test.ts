import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/args.js';
import { commandHelp, commandHelpText } from '../../src/cli/command-help.js';

describe('per-command help', () => {
  it('every command in the global help has its own usage, flags and an example', () => {
    const listed = [...helpText.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(10);
    for (const cmd of listed) {
      const text = commandHelpText(cmd ?? '');
      expect(text, cmd).toBeDefined();
      expect(text, cmd).toMatch(new RegExp(`^Usage: bosun ${cmd}\\b`));
      expect(text, cmd).toMatch(/\nExamples?:\n {2}.*bosun /);
    }
  });

  it('lists the flags of the command aligned, and only them', () => {
    const sync = commandHelpText('sync') ?? '';
    expect(sync).toContain('  --prune         ');
    expect(sync).toContain('  --dry-run       ');
    expect(sync).not.toContain('--from ENV');
    expect(commandHelpText('promote')).toContain('--from ENV');
    expect(commandHelpText('frobnicate')).toBeUndefined();
    expect(Object.keys(commandHelp)).toContain('doctor');
  });
});
