import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { CliError, ExitCode } from '../../src/cli/exit-codes.js';
import { journalRefusal, refusalEntry } from '../../src/cli/refusal-journal.js';
import { PolicyRefusal } from '../../src/engine/index.js';

const args = (...argv: string[]) => parseCommandLine(argv);
const readOnly = new CliError(
  'refused: sync a is a mutating action and bosun runs --read-only',
  ExitCode.Refused,
  {
    refusal: 'read-only',
  },
);

describe('the audit journal line of a refused CLI command', () => {
  let state: string;
  const saved = { XDG_STATE_HOME: process.env.XDG_STATE_HOME, BOSUN_USER: process.env.BOSUN_USER };
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'bosun-refusal-'));
    process.env.XDG_STATE_HOME = state;
    process.env.BOSUN_USER = 'ops@console';
  });
  afterEach(() => {
    rmSync(state, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('records refused, who, what and the reason code', async () => {
    await journalRefusal(args('sync', 'order-service-prod', '--yes', '--read-only'), readOnly);
    const lines = readFileSync(join(state, 'bosun', 'audit.log'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      identity: 'ops@console',
      action: 'sync',
      app: 'order-service-prod',
      result: 'refused',
      message: readOnly.message,
      details: { reason: 'read-only', via: 'cli', command: 'bosun sync order-service-prod', readOnly: true },
    });
  });

  it('takes the engine refusal code, and names the argocd sub-command and the action', () => {
    const window = new PolicyRefusal('refused to sync a: the sync window is closed', 'sync-window');
    expect(refusalEntry(args('sync', 'a', '--yes'), window)).toMatchObject({
      action: 'sync',
      app: 'a',
      details: { reason: 'sync-window' },
    });
    expect(refusalEntry(args('argocd', 'adopt', 'a', '--yes'), readOnly)).toMatchObject({
      action: 'argocd-adopt',
      app: 'a',
    });
    expect(
      refusalEntry(args('action', 'a', 'Deployment/web', 'scale', 'replicas=2', '--yes'), readOnly),
    ).toMatchObject({
      action: 'action',
      app: 'a',
      details: { command: 'bosun action a Deployment/web scale replicas=2' },
    });
    expect(
      refusalEntry(args('promote', 'order-service', '--from', 'dev', '--to', 'prod'), readOnly),
    ).not.toHaveProperty('app');
  });

  it('skips read commands, a person saying no, refusals the engine journaled and other failures', () => {
    expect(refusalEntry(args('apps'), readOnly)).toBeUndefined();
    expect(
      refusalEntry(args('sync', 'a'), new CliError('aborted', ExitCode.Refused, { refusal: 'aborted' })),
    ).toBeUndefined();
    const journaled = Object.assign(new Error('refused: bosun runs read-only'), {
      exitCode: 3,
      journaled: true,
    });
    expect(
      refusalEntry(
        args('action', 'a', 'Pod/p', 'delete'),
        new CliError(journaled.message, ExitCode.Refused, { cause: journaled }),
      ),
    ).toBeUndefined();
    expect(
      refusalEntry(args('sync', 'a'), new CliError('cluster unreachable', ExitCode.Failure)),
    ).toBeUndefined();
  });
});
