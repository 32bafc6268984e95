import { describe, expect, it } from 'vitest';
import { type Customizations, mergeCustomizations } from '../../../src/engine/health/customizations.js';
import type { KubeObject } from '../../../src/engine/model/index.js';
import { hookOutcome, readiness } from '../../../src/engine/sync/step.js';

const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'ns' },
  status: { conditions: [{ type: 'Ready', status: 'True' }], phase: 'Broken' },
};

/** A customization whose runner reads status.phase, as a Lua script would. */
const custom: Customizations = mergeCustomizations(
  (_script, obj) =>
    (obj.status as { phase?: string }).phase === 'Broken'
      ? { status: 'Degraded', message: 'the widget is broken' }
      : { status: 'Healthy' },
  [
    {
      health: new Map([['example.com/Widget', { script: 'return {}', origin: 'health.lua from lua/' }]]),
      actions: new Map(),
    },
  ],
);

describe('wave gate health with customizations', () => {
  it('uses the customization when given, else the generic conditions', () => {
    expect(readiness(widget, 0).ready).toBe(true);
    expect(readiness(widget, 0, custom)).toEqual({ ready: false, message: 'the widget is broken' });
  });

  it('a hook object judged by a customization fails with its message', () => {
    expect(hookOutcome(widget, 'Widget/w', 0)).toMatchObject({ done: true, ok: true });
    expect(hookOutcome(widget, 'Widget/w', 0, custom)).toEqual({
      done: true,
      ok: false,
      message: 'hook Widget/w failed: the widget is broken',
    });
  });
});
