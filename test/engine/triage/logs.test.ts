import { describe, expect, it } from 'vitest';
import { compileGrep, parseSince, parseTail } from '../../../src/engine/logs/options.js';
import { chooseContainers, podsOf } from '../../../src/engine/logs/pods.js';
import { RingBuffer } from '../../../src/engine/logs/ring-buffer.js';
import { type LogPort, LogSession, splitTimestamp } from '../../../src/engine/logs/session.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const o = (
  kind: string,
  name: string,
  uid: string,
  owner?: string,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
  kind,
  metadata: {
    name,
    namespace: 'shop',
    uid,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'X', name: 'x', uid: owner }] } : {}),
  },
  ...extra,
});
const pod = (name: string, owner: string, containers = ['app']) =>
  o('Pod', name, `uid-${name}`, owner, { spec: { containers: containers.map((c) => ({ name: c })) } });

describe('ring buffer', () => {
  it('keeps the newest N items', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.slice()).toEqual([3, 4, 5]);
    expect(r.size).toBe(3);
    expect(r.total).toBe(5);
    expect(r.at(0)).toBe(3);
    expect(r.slice(1, 2)).toEqual([4]);
  });
});

describe('log options', () => {
  it('parses since and tail, refuses nonsense with one line', () => {
    expect(parseSince('10m')).toBe(600);
    expect(parseSince('1h30m')).toBe(5400);
    expect(() => parseSince('10 minutes')).toThrow(/not a duration/);
    expect(parseTail('50')).toBe(50);
    expect(() => parseTail('-3')).toThrow(/whole number/);
    expect(() => compileGrep('(')).toThrow(/not a valid regular expression/);
    expect(compileGrep('error')?.test('ERROR x')).toBe(true);
    expect(compileGrep('Error')?.test('ERROR x')).toBe(false);
  });
  it('splits the API timestamp off a line', () => {
    expect(splitTimestamp('2026-12-05T21:00:00.123456789Z hello world')).toEqual({
      time: '2026-12-05T21:00:00.123456789Z',
      text: 'hello world',
    });
    expect(splitTimestamp('no time')).toEqual({ text: 'no time' });
  });
});

describe('pods of workloads', () => {
  const deploy = o('Deployment', 'web', 'd1');
  const rs = o('ReplicaSet', 'web-abc', 'rs1', 'd1');
  const objects = [
    rs,
    pod('web-abc-1', 'rs1'),
    pod('web-abc-2', 'rs1', ['app', 'sidecar']),
    pod('other', 'rsX'),
  ];
  it('follows Deployment → ReplicaSet → Pod', () => {
    expect(podsOf([deploy], objects).map((p) => p.metadata.name)).toEqual(['web-abc-1', 'web-abc-2']);
  });
  it('chooses a container, or says which exist', () => {
    const pods = podsOf([deploy], objects);
    expect(chooseContainers(pods).length).toBe(3);
    expect(chooseContainers(pods, 'sidecar').map((c) => c.pod)).toEqual(['web-abc-2']);
    expect(() => chooseContainers(pods, 'nope')).toThrow(/containers: app, sidecar/);
  });
});

describe('log session (fake port)', () => {
  const deploy = o('Deployment', 'web', 'd1');
  it('merges containers by time without follow, and filters with grep', async () => {
    const files: Record<string, string[]> = {
      'web-1/app': ['2026-01-01T00:00:01Z one', '2026-01-01T00:00:03Z three error'],
      'web-2/app': ['2026-01-01T00:00:02Z two error'],
    };
    const port: LogPort = {
      listOwned: async () => [pod('web-1', 'd1'), pod('web-2', 'd1')],
      stream: async (req, onLine) => {
        for (const l of files[`${req.pod}/${req.container}`] ?? []) onLine(l);
      },
    };
    const all = new LogSession({ port, namespace: 'shop', roots: [deploy], options: {} });
    await all.start();
    expect(all.lines.slice().map((l) => `${l.pod} ${l.text}`)).toEqual([
      'web-1 one',
      'web-2 two error',
      'web-1 three error',
    ]);
    const grep = new LogSession({ port, namespace: 'shop', roots: [deploy], options: { grep: 'error' } });
    await grep.start();
    expect(grep.lines.slice().map((l) => l.text)).toEqual(['two error', 'three error']);
  });

  it("passes the app's redaction step: a pod printing a Secret value shows <redacted>", async () => {
    const port: LogPort = {
      listOwned: async () => [pod('web-1', 'd1'), pod('web-2', 'd1')],
      stream: async (req, onLine) => {
        if (req.pod === 'web-2') throw new Error('stream failed: token s3cr3t-Token-77 expired');
        onLine('2025-01-02T12:00:00Z connecting with password s3cr3t-Token-77');
      },
    };
    const s = new LogSession({
      port,
      namespace: 'shop',
      roots: [deploy],
      options: {},
      redact: (t) => t.split('s3cr3t-Token-77').join('<redacted>'),
    });
    await s.start();
    const shown = [...s.lines.slice().map((l) => l.text), ...s.errors].join('\n');
    expect(shown).toContain('connecting with password <redacted>');
    expect(shown).toContain('token <redacted> expired');
    expect(shown).not.toContain('s3cr3t-Token-77');
  });

  it('stays bounded, and reports a failing stream as a notice line', async () => {
    const port: LogPort = {
      listOwned: async () => [pod('web-1', 'd1'), pod('web-2', 'd1')],
      stream: async (req, onLine) => {
        if (req.pod === 'web-2')
          throw new Error('logs of shop/web-2/app (previous): previous terminated container not found');
        for (let i = 0; i < 50_000; i++) onLine(`line ${i}`);
      },
    };
    const s = new LogSession({ port, namespace: 'shop', roots: [deploy], options: {}, capacity: 1000 });
    await s.start();
    expect(s.lines.size).toBe(1000);
    expect(s.errors).toEqual(['logs of shop/web-2/app (previous): previous terminated container not found']);
  });
});
