import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overrideKey, parseArgoCm } from '../../../src/engine/customizations/argocd-cm.js';
import { clusterCustomizations } from '../../../src/engine/customizations/load.js';
import type { DirCustomizations } from '../../../src/engine/customizations/load-dir.js';
import { assessHealth, healthSource } from '../../../src/engine/health/index.js';
import type { KubeObject } from '../../../src/engine/index.js';
import { createLuaVm, type LuaVm, runActionDiscovery } from '../../../src/engine/lua/index.js';
import { luaActionsOf } from '../../../src/engine/triage/lua-actions.js';

const widget = (status?: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'shop' },
    spec: { parts: 1 },
    ...(status ? { status } : {}),
  }) as KubeObject;

const phaseHealth = `
hs = {}
if obj.status ~= nil and obj.status.phase == "Ready" then
  hs.status = "Healthy"
  hs.message = "cm says ready"
else
  hs.status = "Progressing"
  hs.message = "cm says waiting"
end
return hs`;

let vm: LuaVm;
beforeAll(async () => {
  vm = await createLuaVm({ limits: { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 } });
});
afterAll(() => vm.close());

describe('argocd-cm keys', () => {
  it('turns group_Kind into the override key as Argo CD does', () => {
    expect(overrideKey('cert-manager.io_Certificate')).toBe('cert-manager.io/Certificate');
    expect(overrideKey('Pod')).toBe('Pod');
    expect(overrideKey('all')).toBe('*/*');
    expect(overrideKey('a_b_c')).toBeUndefined();
    expect(overrideKey('')).toBeUndefined();
  });

  it('reads split health keys, naming the cluster in the origin', () => {
    const cm = parseArgoCm(
      { 'resource.customizations.health.example.com_Widget': phaseHealth, 'other.key': 'x' },
      { where: 'production' },
    );
    expect(cm.warnings).toEqual([]);
    expect([...cm.health.keys()]).toEqual(['example.com/Widget']);
    expect(cm.health.get('example.com/Widget')).toMatchObject({
      origin: 'health.lua from argocd-cm in production',
      openLibs: false,
    });
  });

  it('reads the legacy block, and a split key wins over it', () => {
    const legacy = [
      'example.com/Widget:',
      '  health.lua: |',
      '    return {status = "Degraded", message = "legacy"}',
      'example.com/Gadget:',
      '  health.lua.useOpenLibs: true',
      '  health.lua: |',
      '    return {status = "Healthy", message = string.upper("legacy gadget")}',
    ].join('\n');
    const cm = parseArgoCm(
      {
        'resource.customizations': legacy,
        'resource.customizations.health.example.com_Widget': phaseHealth,
      },
      { where: 'dev' },
    );
    expect(cm.health.get('example.com/Widget')?.script).toBe(phaseHealth);
    expect(cm.health.get('example.com/Gadget')?.openLibs).toBe(true);
  });

  it('gives bad entries one-line warnings and keeps the good ones', () => {
    const cm = parseArgoCm(
      {
        'resource.customizations': 'a: [unclosed',
        'resource.customizations.health.a_b_c': 'return {}',
        'resource.customizations.useOpenLibs.example.com_Widget': 'maybe',
        'resource.customizations.actions.example.com_Widget': 'definitions: [',
        'resource.customizations.health.example.com_Widget': phaseHealth,
      },
      { where: 'dev' },
    );
    expect(cm.warnings).toHaveLength(4);
    for (const w of cm.warnings) expect(w).not.toContain('\n');
    expect([...cm.health.keys()]).toEqual(['example.com/Widget']);
  });
});

describe('argocd-cm scripts at run time', () => {
  const dir: DirCustomizations = {
    health: new Map([
      [
        'example.com/Widget',
        { script: 'return {status = "Degraded", message = "dir"}', origin: 'health.lua from /dir' },
      ],
    ]),
    actions: new Map([
      [
        'example.com/Widget',
        {
          discovery: [{ script: 'return {["from-dir"] = {}}', origin: 'dir discovery' }],
          actions: new Map([
            ['from-dir', { script: 'obj.spec.parts = 7\nreturn obj', origin: 'dir action' }],
          ]),
        },
      ],
    ]),
  };

  it('argocd-cm health comes before the directories, and explain names it', () => {
    const cm = parseArgoCm(
      { 'resource.customizations.health.example.com_Widget': phaseHealth },
      { where: 'prod' },
    );
    const c = clusterCustomizations(vm, cm, [dir]);
    const h = assessHealth(widget({ phase: 'Ready' }), c ? { customizations: c } : {});
    expect(h).toMatchObject({ status: 'Healthy', message: 'cm says ready' });
    expect(healthSource(h!, { group: 'example.com', kind: 'Widget' })).toBe(
      'health.lua from argocd-cm in prod',
    );
    const withoutCm = clusterCustomizations(vm, undefined, [dir]);
    expect(assessHealth(widget(), withoutCm ? { customizations: withoutCm } : {})).toMatchObject({
      status: 'Degraded',
      check: 'health.lua from /dir',
    });
  });

  it('runs argocd-cm health without the open libraries unless useOpenLibs says so', () => {
    const script = 'return {status = "Healthy", message = string.upper("ok")}';
    const closed = clusterCustomizations(
      vm,
      parseArgoCm({ 'resource.customizations.health.example.com_Widget': script }, { where: 'prod' }),
      [],
    );
    const h = assessHealth(widget(), closed ? { customizations: closed } : {});
    expect(h?.status).toBe('Unknown');
    expect(h?.message).toMatch(/string/);
    const open = clusterCustomizations(
      vm,
      parseArgoCm(
        {
          'resource.customizations.health.example.com_Widget': script,
          'resource.customizations.useOpenLibs.example.com_Widget': 'true',
        },
        { where: 'prod' },
      ),
      [],
    );
    expect(assessHealth(widget(), open ? { customizations: open } : {})).toMatchObject({
      status: 'Healthy',
      message: 'OK',
    });
  });

  it("argocd-cm actions hide the directories' discovery unless mergeBuiltinActions", () => {
    const actions = (merge: boolean) =>
      [
        `mergeBuiltinActions: ${merge}`,
        'discovery.lua: |',
        '  return {["double"] = {}}',
        'definitions:',
        '- name: double',
        '  action.lua: |',
        '    obj.spec.parts = obj.spec.parts * 2',
        '    return obj',
      ].join('\n');
    const only = clusterCustomizations(
      vm,
      parseArgoCm(
        { 'resource.customizations.actions.example.com_Widget': actions(false) },
        { where: 'prod' },
      ),
      [dir],
    );
    const lua = luaActionsOf(only!, vm);
    expect(lua?.list(widget()).map((a) => a.name)).toEqual(['double']);
    expect(lua?.run(widget(), 'double', {})).toEqual([
      { op: 'patch', patchType: 'merge', patch: { spec: { parts: 2 } } },
    ]);
    const merged = clusterCustomizations(
      vm,
      parseArgoCm({ 'resource.customizations.actions.example.com_Widget': actions(true) }, { where: 'prod' }),
      [dir],
    );
    const both = luaActionsOf(merged!, vm);
    expect(both?.list(widget()).map((a) => a.name)).toEqual(['double', 'from-dir']);
    expect(both?.run(widget(), 'from-dir', {})).toEqual([
      { op: 'patch', patchType: 'merge', patch: { spec: { parts: 7 } } },
    ]);
  });

  it('discovery scripts without open libraries cannot reach string', () => {
    expect(() =>
      runActionDiscovery(vm, [{ script: 'return {[string.lower("X")] = {}}', openLibs: false }], widget()),
    ).toThrow(/string/);
  });
});

describe('system-level ignoreDifferences in argocd-cm', () => {
  it('reads the split keys: <group>_<Kind>, a core Kind, and all (every kind)', () => {
    const cm = parseArgoCm(
      {
        'resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration':
          "jqPathExpressions:\n- '.webhooks[]?.clientConfig.caBundle'\n",
        'resource.customizations.ignoreDifferences.Service': 'jsonPointers:\n- /spec/clusterIP\n',
        'resource.customizations.ignoreDifferences.all':
          'managedFieldsManagers:\n- kube-controller-manager\njsonPointers:\n- /spec/replicas\n',
      },
      { where: 'dev' },
    );
    expect(cm.warnings).toEqual([]);
    expect(cm.ignoreDifferences).toEqual(
      expect.arrayContaining([
        {
          group: 'admissionregistration.k8s.io',
          kind: 'MutatingWebhookConfiguration',
          jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
        },
        { group: '', kind: 'Service', jsonPointers: ['/spec/clusterIP'] },
        {
          group: '*',
          kind: '*',
          jsonPointers: ['/spec/replicas'],
          managedFieldsManagers: ['kube-controller-manager'],
        },
      ]),
    );
    expect(cm.ignoreDifferences).toHaveLength(3);
  });

  it('reads ignoreDifferences from the legacy resource.customizations block (a YAML string per kind)', () => {
    const cm = parseArgoCm(
      {
        'resource.customizations':
          'apps/Deployment:\n  ignoreDifferences: |\n    jsonPointers:\n    - /spec/replicas\n',
      },
      { where: 'dev' },
    );
    expect(cm.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);
  });

  it('the split key wins over the block for the same kind', () => {
    const cm = parseArgoCm(
      {
        'resource.customizations':
          'apps/Deployment:\n  ignoreDifferences: |\n    jsonPointers:\n    - /spec/a\n',
        'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers:\n- /spec/b\n',
      },
      { where: 'dev' },
    );
    expect(cm.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/b'] }]);
  });

  it('a value that is not YAML, or a field that is not a list of strings, is a warning, not a rule', () => {
    const cm = parseArgoCm(
      {
        'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [',
        'resource.customizations.ignoreDifferences.Service': 'jsonPointers: /spec/clusterIP\n',
      },
      { where: 'dev' },
    );
    expect(cm.ignoreDifferences).toEqual([]);
    expect(cm.warnings).toHaveLength(2);
    expect(cm.warnings.join('\n')).toMatch(/ignoreDifferences of apps\/Deployment is not valid YAML/);
    expect(cm.warnings.join('\n')).toMatch(
      /ignoreDifferences of Service: jsonPointers is not a list of strings/,
    );
  });
});
