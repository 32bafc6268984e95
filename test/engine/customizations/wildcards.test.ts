import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgoCm } from '../../../src/engine/customizations/argocd-cm.js';
import { clusterCustomizations } from '../../../src/engine/customizations/load.js';
import { loadCustomizationDir } from '../../../src/engine/customizations/load-dir.js';
import { assessHealth } from '../../../src/engine/health/index.js';
import type { KubeObject } from '../../../src/engine/index.js';
import { createLuaVm, type LuaVm } from '../../../src/engine/lua/index.js';
import { luaActionsOf } from '../../../src/engine/triage/lua-actions.js';

/**
 * Wildcard customization keys, matched as Argo CD matches them: in each source the exact `<group>/<Kind>`
 * key first, then wildcard keys; argocd-cm (exact, then wildcard) above the directories (exact, then
 * wildcard); a `*` in an argocd-cm key matches any run of characters, a `_` directory only within its
 * group or kind.
 */

const obj = (apiVersion: string, kind: string): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, spec: { size: 1 } }) as KubeObject;
const says = (message: string) => `return {status = "Degraded", message = "${message}"}`;

let vm: LuaVm;
let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

beforeAll(async () => {
  vm = await createLuaVm({ limits: { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 } });
  dir = mkdtempSync(join(tmpdir(), 'bosun-wildcards-'));
  write('s3.crossplane.io/Bucket/health.lua', says('dir exact'));
  write('_.crossplane.io/_/health.lua', says('dir wildcard'));
  write('_/health.lua', says('dir core wildcard'));
  write('_.crossplane.io/_/actions/discovery.lua', 'return {["poke"] = {}}');
  write('_.crossplane.io/_/actions/poke/action.lua', 'obj.spec.size = obj.spec.size + 1\nreturn obj');
});
afterAll(() => {
  vm.close();
  rmSync(dir, { recursive: true, force: true });
});

const legacy = (entries: Record<string, { health?: string; actions?: string }>) => ({
  'resource.customizations': Object.entries(entries)
    .map(([key, v]) => {
      const lines = [`"${key}":`];
      if (v.health) lines.push('  health.lua: |', ...v.health.split('\n').map((l) => `    ${l}`));
      if (v.actions) lines.push('  actions: |', ...v.actions.split('\n').map((l) => `    ${l}`));
      return lines.join('\n');
    })
    .join('\n'),
});

const healthOf = (o: KubeObject, data: Record<string, string> | undefined) => {
  const c = clusterCustomizations(vm, data ? parseArgoCm(data, { where: 'prod' }) : undefined, [
    loadCustomizationDir(dir),
  ]);
  return assessHealth(o, c ? { customizations: c } : {});
};

describe('wildcard customization keys', () => {
  it('in argocd-cm: the exact key wins, a wildcard covers the rest of the group, other groups stay out', () => {
    const data = legacy({
      '*.crossplane.io/*': { health: says('cm wildcard') },
      's3.crossplane.io/Bucket': { health: says('cm exact') },
    });
    expect(healthOf(obj('s3.crossplane.io/v1', 'Bucket'), data)).toMatchObject({
      message: 'cm exact',
      check: 'health.lua from argocd-cm in prod',
    });
    expect(healthOf(obj('ec2.aws.crossplane.io/v1', 'Instance'), data)?.message).toBe('cm wildcard');
    expect(healthOf(obj('example.com/v1', 'Widget'), data)).toBeUndefined();
  });

  it("an argocd-cm wildcard is above a directory's exact key, as Argo CD puts overrides above its library", () => {
    const data = legacy({ '*.crossplane.io/*': { health: says('cm wildcard') } });
    expect(healthOf(obj('s3.crossplane.io/v1', 'Bucket'), data)?.message).toBe('cm wildcard');
    // without argocd-cm, the directory's exact key beats its own wildcard
    expect(healthOf(obj('s3.crossplane.io/v1', 'Bucket'), undefined)?.message).toBe('dir exact');
    expect(healthOf(obj('rds.crossplane.io/v1', 'Database'), undefined)?.message).toBe('dir wildcard');
  });

  it('a directory wildcard stays within its group or kind; an argocd-cm "*" matches across', () => {
    // `_/health.lua`: core kinds only, not apps/Deployment
    expect(healthOf(obj('v1', 'ConfigMap'), undefined)?.message).toBe('dir core wildcard');
    expect(healthOf(obj('apps/v1', 'ReplicaSet'), undefined)?.message).not.toBe('dir core wildcard');
    const data = legacy({ '*': { health: says('cm star') } });
    expect(healthOf(obj('apps/v1', 'ReplicaSet'), data)?.message).toBe('cm star');
  });

  it('the first matching wildcard of a source wins, in the order argocd-cm lists them', () => {
    const data = legacy({
      '*.aws.crossplane.io/*': { health: says('aws') },
      '*.crossplane.io/*': { health: says('any crossplane') },
    });
    expect(healthOf(obj('ec2.aws.crossplane.io/v1', 'Instance'), data)?.message).toBe('aws');
    expect(healthOf(obj('gcp.crossplane.io/v1', 'Instance'), data)?.message).toBe('any crossplane');
    expect(healthOf(obj('v1', 'Pod'), legacy({ '*/*': { health: says('all') } }))?.message).not.toBe('all');
    expect(
      healthOf(obj('apps/v1', 'ReplicaSet'), {
        'resource.customizations.health.all': says('all'),
      })?.message,
    ).toBe('all');
  });

  it('actions: a wildcard directory offers its actions; an argocd-cm wildcard above it hides them', () => {
    const bucket = obj('s3.crossplane.io/v1', 'Bucket');
    const dirOnly = clusterCustomizations(vm, undefined, [loadCustomizationDir(dir)]);
    const lua = dirOnly && luaActionsOf(dirOnly, vm);
    expect(lua?.list(bucket).map((a) => a.name)).toEqual(['poke']);
    expect(lua?.run(bucket, 'poke', {})).toEqual([
      { op: 'patch', patchType: 'merge', patch: { spec: { size: 2 } } },
    ]);
    const cmActions = [
      'discovery.lua: |',
      '  return {["nudge"] = {}}',
      'definitions:',
      '- name: nudge',
      '  action.lua: |',
      '    obj.spec.size = 9',
      '    return obj',
    ].join('\n');
    const withCm = clusterCustomizations(
      vm,
      parseArgoCm(legacy({ '*.crossplane.io/*': { actions: cmActions } }), { where: 'prod' }),
      [loadCustomizationDir(dir)],
    );
    const both = withCm && luaActionsOf(withCm, vm);
    expect(both?.list(bucket).map((a) => a.name)).toEqual(['nudge']);
    expect(both?.run(bucket, 'nudge', {})).toEqual([
      { op: 'patch', patchType: 'merge', patch: { spec: { size: 9 } } },
    ]);
    expect(both?.list(obj('example.com/v1', 'Widget'))).toEqual([]);
  });
});
