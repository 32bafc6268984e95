/**
 * Exec-plugin credentials against the real API server: cached until their expirationTimestamp (not a fixed
 * 5 minutes), and refreshed once when the server answers 401.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { KubeCluster } from '../../src/engine/kube/cluster.js';
import { loadContexts } from '../../src/engine/kube/kubeconfig.js';
import { eventually } from './helpers.js';

const plugin = resolve(import.meta.dirname, 'workers/exec-credential.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bosun-e2e-exec-'));
const q = (s: string) => JSON.stringify(s);

/** A KubeCluster for `dev` whose user is the counting exec plugin in the given mode. */
function clusterWithPlugin(mode: string, extraEnv: Record<string, string> = {}) {
  const cp = inject('controlPlane');
  const dev = cp.clusters.find((c) => c.name === 'dev');
  if (!dev) throw new Error('no dev cluster');
  const ca = /certificate-authority: (".*")/.exec(readFileSync(cp.kubeconfig, 'utf8'))?.[1];
  if (!ca) throw new Error('no certificate-authority in the test kubeconfig');
  const countFile = join(dir, `${mode}.count`);
  const env = { COUNT_FILE: countFile, TOKEN: dev.token, MODE: mode, ...extraEnv };
  const kubeconfig = join(dir, `${mode}.kubeconfig`);
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: dev\n  cluster:\n    server: ${q(dev.server)}\n    certificate-authority: ${ca}`,
      'users:',
      `- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${q(process.execPath)}\n      args: [${q(plugin)}]\n      interactiveMode: Never\n      env:`,
      ...Object.entries(env).map(([k, v]) => `      - name: ${k}\n        value: ${q(v)}`),
      'contexts:',
      '- name: dev\n  context:\n    cluster: dev\n    user: plugin',
      'current-context: dev',
      '',
    ].join('\n'),
  );
  const ctx = loadContexts({ kubeconfig, contexts: ['dev'] }).contexts[0];
  if (!ctx) throw new Error('context not loaded');
  const runs = () => {
    try {
      return Number(readFileSync(countFile, 'utf8'));
    } catch {
      return 0;
    }
  };
  return { cluster: new KubeCluster(ctx), runs };
}

const ns = { group: '', kind: 'Namespace', namespace: '', name: 'default' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exec plugin credentials', () => {
  it('reuses a credential until its expirationTimestamp, then runs the plugin again', async () => {
    const { cluster, runs } = clusterWithPlugin('expiring', { EXPIRES_IN: '15' });
    try {
      expect((await cluster.get(ns, 'v1'))?.metadata.name).toBe('default');
      await cluster.get(ns, 'v1');
      expect(runs()).toBe(1);
      // The credential expires 15 s after it was issued: a request after that runs the plugin again.
      await eventually(
        'the plugin runs again after the credential expired',
        async () => (await cluster.get(ns, 'v1')) !== undefined && runs() === 2,
        60_000,
      );
      expect(runs()).toBe(2);
    } finally {
      cluster.close();
    }
  }, 90_000);

  it('refreshes once on a 401: a rejected credential is replaced and the request succeeds', async () => {
    const { cluster, runs } = clusterWithPlugin('bad-first');
    try {
      expect((await cluster.get(ns, 'v1'))?.metadata.name).toBe('default');
      expect(runs()).toBe(2);
      await cluster.get(ns, 'v1');
      expect(runs()).toBe(2);
    } finally {
      cluster.close();
    }
  });
});
