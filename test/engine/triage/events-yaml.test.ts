import { describe, expect, it } from 'vitest';
import { kubectlGetCommand, SECRET_MASK, showable, toYaml } from '../../../src/engine/events/live-yaml.js';
import { age, buildTimeline, involvedSet } from '../../../src/engine/events/timeline.js';
import type { KubeObject } from '../../../src/engine/model/index.js';

const ev = (
  name: string,
  type: string,
  last: string,
  involved: Record<string, string>,
  count = 1,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: 'shop' },
  type,
  reason: `R-${name}`,
  message: `m ${name}`,
  count,
  lastTimestamp: last,
  firstTimestamp: last,
  involvedObject: { namespace: 'shop', ...involved },
});

describe('events timeline', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop', uid: 'p1' },
  };
  const events = [
    ev('a', 'Normal', '2026-01-01T00:00:05Z', { kind: 'Pod', name: 'web-1', uid: 'p1' }),
    ev('b', 'Warning', '2026-01-01T00:00:01Z', { kind: 'Pod', name: 'web-1', uid: 'p1' }, 7),
    ev('c', 'Normal', '2026-01-01T00:00:09Z', { kind: 'Pod', name: 'web-1', uid: 'p1' }),
    ev('d', 'Warning', '2026-01-01T00:00:09Z', { kind: 'Pod', name: 'not-ours', uid: 'zz' }),
    ev('e', 'Warning', '2026-01-01T00:00:03Z', { kind: 'Pod', name: 'web-1' }),
  ];
  it('keeps the app objects events, warnings first then newest first', () => {
    const t = buildTimeline(events, involvedSet([pod]));
    expect(t.map((e) => e.reason)).toEqual(['R-e', 'R-b', 'R-c', 'R-a']);
    expect(t[1]?.count).toBe(7);
    expect(buildTimeline(events, involvedSet([pod]), { warningsOnly: true }).map((e) => e.reason)).toEqual([
      'R-e',
      'R-b',
    ]);
  });
  it('says age briefly', () => {
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect(age('2026-01-01T00:59:30Z', now)).toBe('30s');
    expect(age('2026-01-01T00:30:00Z', now)).toBe('30m');
    expect(age('2025-12-30T01:00:00Z', now)).toBe('2d');
  });
});

describe('live YAML', () => {
  it('hides managedFields and masks Secret values', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', managedFields: [{ manager: 'x' }] },
      data: { password: 'aHVudGVyMg==' },
      stringData: { token: 'plain' },
    };
    const shown = showable(secret);
    expect(shown.metadata.managedFields).toBeUndefined();
    expect(shown.data).toEqual({ password: SECRET_MASK });
    expect(toYaml(secret)).not.toContain('aHVudGVyMg==');
    expect(toYaml(secret)).not.toContain('plain');
    expect(showable(secret, { managedFields: true }).metadata.managedFields).toEqual([{ manager: 'x' }]);
    expect(secret.data).toEqual({ password: 'aHVudGVyMg==' });
  });
  it('gives the kubectl command for the same view', () => {
    expect(
      kubectlGetCommand({
        context: 'prod',
        kind: 'Deployment',
        group: 'apps',
        name: 'web',
        namespace: 'shop',
      }),
    ).toBe('kubectl --context prod get deployment.apps web -n shop -o yaml');
  });
});
