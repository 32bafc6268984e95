import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/index.js';
import {
  createLuaVm,
  LuaScriptError,
  type LuaVm,
  runAction,
  runActionDiscovery,
  runHealthScript,
} from '../../../src/engine/lua/index.js';

const dir = join(import.meta.dirname, '../../fixtures/lua/example.com/Widget');
const read = (p: string) => readFileSync(join(dir, p), 'utf8');
const healthLua = read('health.lua');

function widget(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'shop' },
    spec,
    ...(status ? { status } : {}),
  } as KubeObject;
}

let vm: LuaVm;
beforeAll(async () => {
  vm = await createLuaVm({ limits: { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 } });
});
afterAll(() => vm.close());

describe('health scripts', () => {
  it('returns each state the fixture script decides, with its message', () => {
    expect(runHealthScript(vm, healthLua, widget({ parts: 2 }))).toEqual({
      status: 'Progressing',
      message: 'Waiting for the widget controller',
    });
    expect(runHealthScript(vm, healthLua, widget({ parts: 2 }, { phase: 'Broken', reason: 'gear' }))).toEqual(
      {
        status: 'Degraded',
        message: 'Widget is broken: gear',
      },
    );
    expect(
      runHealthScript(vm, healthLua, widget({ parts: 2, paused: true }, { phase: 'Running' }))?.status,
    ).toBe('Suspended');
    // integers stay integers: "1/2", not "1.0/2"
    expect(runHealthScript(vm, healthLua, widget({ parts: 2 }, { phase: 'Running', parts: ['a'] }))).toEqual({
      status: 'Progressing',
      message: 'Parts ready: 1/2',
    });
    expect(
      runHealthScript(vm, healthLua, widget({ parts: 1 }, { phase: 'Running', parts: ['a'] }))?.status,
    ).toBe('Healthy');
  });

  it('gives no opinion for nil or an empty table, and Unknown for a status Argo CD does not know', () => {
    expect(runHealthScript(vm, 'return nil', widget({}))).toBeUndefined();
    expect(runHealthScript(vm, 'return {}', widget({}))).toBeUndefined();
    expect(runHealthScript(vm, 'return {status = "Fine"}', widget({}))).toEqual({
      status: 'Unknown',
      message: 'Lua returned an invalid health status',
    });
  });

  it('reports the script error with its line', () => {
    expect(() => runHealthScript(vm, 'local x = nil\nreturn x.y', widget({}))).toThrow(/health\.lua:2:.*nil/);
    expect(() => runHealthScript(vm, 'return {', widget({}))).toThrow(LuaScriptError);
  });

  it('gives each run fresh globals: one script cannot leak into the next', () => {
    runHealthScript(vm, 'leaked = "yes"; string.upper = nil; return {status = "Healthy"}', widget({}));
    const out = runHealthScript(
      vm,
      'return {status = "Healthy", message = tostring(leaked) .. " " .. string.upper("ok")}',
      widget({}),
    );
    expect(out?.message).toBe('nil OK');
  });

  it('has no io, no os.execute, no debug and no file loading; os.time and os.date work', () => {
    const probe =
      'return {status = "Healthy", message = type(io) .. " " .. type(os.execute) .. " " .. type(debug) .. " " .. type(dofile) .. " " .. type(loadfile) .. " " .. type(os.time()) .. " " .. type(require("os").date)}';
    expect(runHealthScript(vm, probe, widget({}))?.message).toBe('nil nil nil nil nil number function');
    expect(() => runHealthScript(vm, 'require("io")', widget({}))).toThrow(/module 'io' not found/);
  });
});

describe('sandbox limits', () => {
  it('cuts off an infinite loop and keeps working', () => {
    const err = (() => {
      try {
        runHealthScript(vm, 'while true do end', widget({}));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LuaScriptError);
    expect((err as LuaScriptError).kind).toBe('timeout');
    expect(
      runHealthScript(vm, healthLua, widget({ parts: 1 }, { phase: 'Running', parts: ['a'] }))?.status,
    ).toBe('Healthy');
  });

  it('cuts off a huge allocation and keeps working', () => {
    for (const script of [
      'local s = string.rep("x", 1024 * 1024 * 512) return {status = "Healthy"}',
      'local t = {} for i = 1, 1e9 do t[i] = {i, i, i} end',
    ]) {
      const err = (() => {
        try {
          runHealthScript(vm, script, widget({}));
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(LuaScriptError);
      expect(['memory', 'timeout']).toContain((err as LuaScriptError).kind);
    }
    expect(
      runHealthScript(vm, 'return {status = "Healthy", message = "still here"}', widget({}))?.message,
    ).toBe('still here');
  });
});

describe('actions', () => {
  const broken = widget({ parts: 2 }, { phase: 'Broken' });

  it('discovery lists the actions with their flags and parameters', () => {
    expect(runActionDiscovery(vm, [read('actions/discovery.lua')], broken)).toEqual([
      { name: 'reset', disabled: false, iconClass: 'fa fa-undo' },
      { name: 'scale', disabled: false, params: [{ name: 'parts' }] },
    ]);
    const running = widget({ parts: 2 }, { phase: 'Running' });
    expect(
      runActionDiscovery(vm, [read('actions/discovery.lua')], running).find((a) => a.name === 'reset')
        ?.disabled,
    ).toBe(true);
  });

  it('an earlier discovery script wins over a later one; an empty table offers nothing', () => {
    const first = 'return {scale = {disabled = true}}';
    const actions = runActionDiscovery(vm, [first, 'return {}', read('actions/discovery.lua')], broken);
    expect(actions.find((a) => a.name === 'scale')?.disabled).toBe(true);
    expect(actions.map((a) => a.name)).toEqual(['reset', 'scale']);
  });

  it('an old-style action returns the patched object; empty objects it did not touch stay objects', () => {
    const obj = {
      ...widget({ parts: 2, selector: {} }),
      metadata: { name: 'w1', namespace: 'shop', labels: {} },
    };
    const [impact, ...rest] = runAction(vm, read('actions/scale/action.lua'), obj as KubeObject, {
      parts: '5',
    });
    expect(rest).toEqual([]);
    expect(impact?.operation).toBe('patch');
    expect(impact?.resource.spec).toEqual({ parts: 5, selector: {} });
    expect(impact?.resource.metadata.labels).toEqual({});
  });

  it('a new-style action returns a patch and a created resource', () => {
    const impacts = runAction(vm, read('actions/reset/action.lua'), broken);
    expect(impacts.map((i) => i.operation)).toEqual(['patch', 'create']);
    expect(impacts[0]?.resource.status).toBeUndefined();
    expect(impacts[0]?.resource.metadata.annotations?.['example.com/reset-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(impacts[1]?.resource).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'w1-reset' } });
  });
});
