import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendLogLines, setNamespaceLogs, writeLogFile } from '../../src/demo/controlplane/kwok-logs.js';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';

/** Incident triage against the real control plane: real pod log streams (kwok via the apiserver), events, YAML, actions. */

const ns = 'triage-e2e';
const prodNs = 'triage-e2e-prod';
const SECRET = 'triage-s3cr3t-DO-NOT-LEAK';
const root = resolve(import.meta.dirname, '../..');

const deployment = (
  name: string,
  namespace: string,
  replicas: number,
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:1.0` }], ...extra },
    },
  },
});

/** A minimal Argo Rollouts CRD: the API (with a status subresource) is all bosun's actions need. */
const rolloutCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'rollouts.argoproj.io' },
  spec: {
    group: 'argoproj.io',
    scope: 'Namespaced',
    names: { plural: 'rollouts', singular: 'rollout', kind: 'Rollout', listKind: 'RolloutList' },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

const app = (name: string, path: string, cluster: string, namespace: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name },
  spec: {
    project: 'default',
    source: { repoURL: 'REPO', path, targetRevision: 'main' },
    destination: { name: cluster, namespace },
    syncPolicy: { syncOptions: ['CreateNamespace=true'] },
  },
});

describe('triage: logs, events, live YAML and resource actions through the real API', () => {
  const cp = inject('controlPlane');
  let repo: FixtureRepo;
  let engine: BosunEngine;
  let logDir: string;
  let current: string;
  let previous: string;
  const env = () => e2eEnv();
  const cli = (args: string[]) => bosun([...args, '--repo', repo.work], { env: env() });
  const dev = () => {
    const c = cp.clusters.find((x) => x.name === 'dev');
    if (!c) throw new Error('no dev cluster');
    return { server: c.server, token: c.token };
  };

  beforeAll(async () => {
    process.env.PATH = `${cp.binDir}:${process.env.PATH}`;
    logDir = join(cp.runDir, 'triage-logs');
    mkdirSync(logDir, { recursive: true });
    current = join(logDir, 'app.log');
    previous = join(logDir, 'app-previous.log');
    writeLogFile(current, ['booting', 'listening on :8080']);
    writeLogFile(previous, ['panic: connection refused', 'exit status 2']);
    await setNamespaceLogs(dev(), {
      name: 'triage-e2e',
      namespaces: [ns],
      logs: [{ file: current, previousFile: previous }],
    });
    kubectl('dev', ['apply', '-f', '-'], JSON.stringify(rolloutCrd));
    kubectl('dev', ['wait', '--for=condition=Established', 'crd/rollouts.argoproj.io', '--timeout=60s']);
    repo = await createFixtureRepo({
      name: 'triage',
      files: (url) => ({
        'argocd/apps.yaml': yamlDocs(
          JSON.parse(JSON.stringify(app('triage', 'manifests', 'dev', ns)).replace('REPO', url)),
          JSON.parse(JSON.stringify(app('triage-prod', 'prod', 'production', prodNs)).replace('REPO', url)),
        ),
        'manifests/web.yaml': yamlDocs(deployment('web', ns, 2)),
        'manifests/stuck.yaml': yamlDocs({
          ...deployment('stuck', ns, 1, { nodeSelector: { 'no-such-node': 'true' } }),
          spec: {
            ...deployment('stuck', ns, 1, { nodeSelector: { 'no-such-node': 'true' } }).spec,
            progressDeadlineSeconds: 2,
          },
        }),
        'manifests/canary.yaml': yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'canary', namespace: ns },
          spec: {
            replicas: 1,
            strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }] } },
          },
        }),
        'manifests/nightly.yaml': yamlDocs({
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'nightly', namespace: ns },
          spec: {
            schedule: '0 3 * * *',
            jobTemplate: {
              spec: {
                template: {
                  spec: {
                    restartPolicy: 'Never',
                    containers: [{ name: 'job', image: 'registry.local/job:1' }],
                  },
                },
              },
            },
          },
        }),
        'manifests/creds.yaml': yamlDocs({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'creds', namespace: ns },
          stringData: { password: SECRET },
        }),
        'prod/api.yaml': yamlDocs(deployment('api', prodNs, 1)),
      }),
    });
    engine = createEngine(
      {
        repoPath: repo.work,
        kubeconfig: cp.kubeconfig,
        contexts: ['dev', 'production'],
        cacheDir: join(cp.runDir, 'triage-cache'),
      },
      realAdapters(),
    );
    await engine.start();
    expect((await engine.sync('triage', { wait: false })).phase).toBe('Succeeded');
    expect((await engine.sync('triage-prod', { wait: false, confirm: 'triage-prod' })).phase).toBe(
      'Succeeded',
    );
    const web = () =>
      engine
        .getSnapshot()
        .apps.find((a) => a.name === 'triage')
        ?.resources.find((r) => r.key.name === 'web');
    await eventually('web Healthy', () => web()?.health?.status === 'Healthy', 90_000);
  }, 240_000);

  afterAll(async () => {
    await engine?.stop();
    kubectl('dev', ['delete', 'clusterlogs.kwok.x-k8s.io', 'triage-e2e', '--ignore-not-found']);
    await deleteNamespace(ns, ['dev']);
    await deleteNamespace(prodNs, ['production']);
    await repo?.cleanup();
  });

  it('bosun logs: every pod of the Deployment, merged, each line prefixed pod/container; --tail and --grep', async () => {
    const pods = kubectl('dev', [
      '-n',
      ns,
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ])
      .trim()
      .split(' ');
    expect(pods).toHaveLength(2);
    const r = await cli(['logs', 'triage', 'Deployment/web']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const p of pods) expect(r.stdout).toContain(`${p}/app | listening on :8080`);
    const tail = await cli(['logs', 'triage', 'Deployment/web', '--tail', '1']);
    expect(tail.stdout).not.toContain('booting');
    expect(tail.stdout.trim().split('\n')).toHaveLength(2);
    const grep = await cli(['logs', 'triage', 'Deployment/web', '--grep', 'boot']);
    expect(
      grep.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith('| booting')),
    ).toBe(true);
    const bad = await cli(['logs', 'triage', 'Deployment/web', '--since', 'ten minutes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bosun logs --previous reads the crashed instance through the API', async () => {
    const r = await cli(['logs', 'triage', 'Deployment/web', '--previous']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/web-[a-z0-9]+-[a-z0-9]+\/app \| panic: connection refused/);
    expect(r.stdout).not.toContain('listening on');
  });

  it('bosun logs -f follows: appended lines arrive, and pods that appear join in', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [join(root, 'bin/bosun.js'), 'logs', 'triage', 'Deployment/web', '-f', '--repo', repo.work],
      { env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await eventually('follow started', () => out.includes('listening on :8080'), 60_000);
      const marker = `order ${Date.now()} accepted`;
      appendLogLines(current, [marker]);
      await eventually(
        'appended line followed from both pods',
        () => out.split(marker).length - 1 >= 2,
        30_000,
      );
      kubectl('dev', ['-n', ns, 'scale', 'deployment/web', '--replicas=3']);
      const before = new Set(out.match(/web-[a-z0-9]+-[a-z0-9]+/g));
      await eventually(
        'a third pod joined the stream',
        () => new Set(out.match(/web-[a-z0-9]+-[a-z0-9]+/g)).size > before.size,
        60_000,
      );
    } finally {
      child.kill('SIGTERM');
      kubectl('dev', ['-n', ns, 'scale', 'deployment/web', '--replicas=2']);
    }
  });

  it('bosun events: warnings of the Deployment whose pods cannot schedule come first', async () => {
    await eventually(
      'FailedScheduling warning',
      async () =>
        (await cli(['events', 'triage', '--warnings', '-o', 'json'])).stdout.includes('FailedScheduling'),
      60_000,
    );
    const r = await cli(['events', 'triage', '-o', 'json']);
    const events = (
      JSON.parse(r.stdout) as { events: { type: string; reason: string; object: string; count: number }[] }
    ).events;
    expect(events[0]?.type).toBe('Warning');
    expect(events.some((e) => e.reason === 'FailedScheduling' && e.object.startsWith('Pod/stuck-'))).toBe(
      true,
    );
    expect(events.some((e) => e.type === 'Normal' && e.reason === 'ScalingReplicaSet')).toBe(true);
    const firstNormal = events.findIndex((e) => e.type === 'Normal');
    expect(events.slice(firstNormal).every((e) => e.type === 'Normal')).toBe(true);
  });

  it('bosun get APP RESOURCE: live YAML with Secret values masked and the kubectl command; desired on request', async () => {
    const r = await cli(['get', 'triage', 'Secret/creds', '--live', '--desired']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('password: "********"');
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(r.stdout).toContain('kubectl --context dev get secret creds -n triage-e2e -o yaml');
    expect(r.stdout).toContain('# desired Secret/triage-e2e/creds');
    const web = await cli(['get', 'triage', 'Deployment/web']);
    expect(web.stdout).toContain('kind: Deployment');
    expect(web.stdout).not.toContain('managedFields');
  });

  it('restart sets the pod-template restartedAt annotation; recorded in history and the journal', async () => {
    const r = await cli(['action', 'triage', 'Deployment/web', 'restart', '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const at = kubectl('dev', [
      '-n',
      ns,
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}',
    ]);
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const cm = JSON.parse(
      kubectl('dev', ['-n', 'bosun-system', 'get', 'configmap', 'bosun-history-triage', '-o', 'json']),
    ) as { data: { operations: string } };
    const records = JSON.parse(cm.data.operations) as {
      kind: string;
      initiator: string;
      action?: { name: string; resource: string };
    }[];
    expect(records.find((x) => x.kind === 'action' && x.action?.name === 'restart')).toMatchObject({
      initiator: 'e2e@test',
      action: { resource: 'Deployment/triage-e2e/web' },
    });
    const journal = readFileSync(join(cp.runDir, 'state', 'bosun', 'audit.log'), 'utf8');
    expect(journal).toMatch(/"action":"action".*"result":"Succeeded".*"action":"restart"/);
  });

  it('a Rollout CRD instance gets promote and abort (status subresource)', async () => {
    kubectl('dev', [
      '-n',
      ns,
      'patch',
      'rollout.argoproj.io',
      'canary',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          currentStepIndex: 1,
          pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }],
        },
      }),
    ]);
    const list = await cli(['action', 'triage', 'Rollout/canary', '-o', 'json']);
    const names = (JSON.parse(list.stdout) as { actions: { name: string }[] }).actions.map((a) => a.name);
    expect(names).toEqual(
      expect.arrayContaining(['promote', 'promote-full', 'abort', 'retry', 'pause', 'resume']),
    );
    const status = () =>
      JSON.parse(
        kubectl('dev', ['-n', ns, 'get', 'rollout.argoproj.io', 'canary', '-o', 'jsonpath={.status}']),
      ) as Record<string, unknown>;
    expect((await cli(['action', 'triage', 'Rollout/canary', 'promote', '--yes'])).code).toBe(0);
    expect(status().pauseConditions).toBeUndefined();
    expect((await cli(['action', 'triage', 'Rollout/canary', 'abort', '--yes'])).code).toBe(0);
    expect(status().abort).toBe(true);
    const again = await cli(['action', 'triage', 'Rollout/canary', 'promote', '--yes']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/aborted: retry it first/);
  });

  it('a Lua action from a customizations folder patches the object and its status', async () => {
    const dir = join(cp.runDir, 'triage-customizations', 'argoproj.io', 'Rollout', 'actions');
    mkdirSync(join(dir, 'mark'), { recursive: true });
    writeFileSync(
      join(dir, 'discovery.lua'),
      'local actions = {}\nactions["mark"] = {["disabled"] = false, ["params"] = {{["name"] = "reason"}}}\nreturn actions\n',
    );
    writeFileSync(
      join(dir, 'mark', 'action.lua'),
      [
        'if obj.metadata.labels == nil then obj.metadata.labels = {} end',
        'obj.metadata.labels["triage.example/marked"] = actionParams["reason"]',
        'if obj.status == nil then obj.status = {} end',
        'obj.status.message = "marked by bosun"',
        'return obj',
      ].join('\n'),
    );
    const custom = ['--customizations', join(cp.runDir, 'triage-customizations')];
    const list = await cli(['action', 'triage', 'Rollout/canary', '-o', 'json', ...custom]);
    expect(
      (JSON.parse(list.stdout) as { actions: { name: string; source: string }[] }).actions.find(
        (a) => a.name === 'mark',
      ),
    ).toMatchObject({ source: 'lua' });
    const r = await cli([
      'action',
      'triage',
      'Rollout/canary',
      'mark',
      'reason=incident-42',
      '--yes',
      ...custom,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const live = JSON.parse(
      kubectl('dev', ['-n', ns, 'get', 'rollout.argoproj.io', 'canary', '-o', 'json']),
    ) as {
      metadata: { labels?: Record<string, string> };
      status?: { message?: string };
    };
    expect(live.metadata.labels?.['triage.example/marked']).toBe('incident-42');
    expect(live.status?.message).toBe('marked by bosun');
  });

  it('read-only hides and refuses actions; production needs the typed app name', async () => {
    const hidden = await cli(['--read-only', 'action', 'triage', 'Deployment/web', '-o', 'json']);
    expect(JSON.parse(hidden.stdout)).toEqual({ actions: [] });
    const before = kubectl('dev', ['-n', ns, 'get', 'cronjob', 'nightly', '-o', 'jsonpath={.spec.suspend}']);
    const ro = await cli(['--read-only', 'action', 'triage', 'CronJob/nightly', 'suspend', '--yes']);
    expect(ro.code).toBe(3);
    expect(kubectl('dev', ['-n', ns, 'get', 'cronjob', 'nightly', '-o', 'jsonpath={.spec.suspend}'])).toBe(
      before,
    );

    const noTty = await cli(['action', 'triage-prod', 'Deployment/api', 'restart']);
    expect(noTty.code).toBe(3);
    expect(noTty.stderr).toMatch(/needs confirmation/);
    await expect(
      engine.runAction({ app: 'triage-prod', resource: 'Deployment/api', action: 'restart' }),
    ).rejects.toThrow(/production.*typing the app name/);
    const ok = await engine.runAction({
      app: 'triage-prod',
      resource: 'Deployment/api',
      action: 'restart',
      confirm: 'triage-prod',
    });
    expect(ok.phase).toBe('Succeeded');
    const suspend = await cli(['action', 'triage', 'CronJob/nightly', 'suspend', '--yes']);
    expect(suspend.code).toBe(0);
    expect(kubectl('dev', ['-n', ns, 'get', 'cronjob', 'nightly', '-o', 'jsonpath={.spec.suspend}'])).toBe(
      'true',
    );
    const journal = readFileSync(join(cp.runDir, 'state', 'bosun', 'audit.log'), 'utf8');
    // The refused suspend changed nothing and was not recorded as done: one suspend in the journal, the confirmed one.
    expect(journal.split('\n').filter((l) => l.includes('"action":"suspend"'))).toHaveLength(1);
  });

  it('scale warns that Git will revert it', async () => {
    const r = await cli(['action', 'triage', 'Deployment/web', 'scale', 'replicas=4', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /Git sets Deployment\/web spec.replicas to 2: the next sync will revert this scale/,
    );
  });

  it('bosun why: the first unhealthy resource, its warnings and its container logs', async () => {
    await eventually(
      'stuck Degraded',
      () =>
        engine
          .getSnapshot()
          .apps.find((a) => a.name === 'triage')
          ?.resources.find((r) => r.key.name === 'stuck')?.health?.status === 'Degraded',
      90_000,
    );
    const r = await cli(['why', 'triage']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Deployment\/triage-e2e\/stuck: Degraded/);
    expect(r.stdout).toContain('FailedScheduling');
  });
});
