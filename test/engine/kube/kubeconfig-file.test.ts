import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserAuth } from '../../../src/engine/kube/kube-auth.js';
import { loadContexts } from '../../../src/engine/kube/kubeconfig.js';
import { kubeconfigFiles, readKubeconfig } from '../../../src/engine/kube/kubeconfig-file.js';

const dir = mkdtempSync(join(tmpdir(), 'bosun-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

const first = write(
  'first.yaml',
  `apiVersion: v1
kind: Config
current-context: a
clusters:
- name: one
  cluster: {server: "https://one:6443", certificate-authority: pki/ca.crt, tls-server-name: one.internal}
users:
- name: alice
  user: {token: first-token}
contexts:
- name: a
  context: {cluster: one, user: alice, namespace: team-a}
`,
);
const second = write(
  'second.yaml',
  `apiVersion: v1
kind: Config
current-context: b
clusters:
- name: one
  cluster: {server: "https://not-this-one:6443"}
- name: two
  cluster: {server: "https://two:6443", insecure-skip-tls-verify: true}
users:
- name: alice
  user: {token: second-token}
- name: bob
  user: {username: bob, password: secret}
contexts:
- name: a
  context: {cluster: two, user: bob}
- name: b
  context: {cluster: two, user: bob}
`,
);

describe('kubeconfig loader', () => {
  it('merges files as kubectl does: the first file naming an entry wins, and its current-context', () => {
    const kc = readKubeconfig([first, second]);
    expect(kc.currentContext).toBe('a');
    expect(kc.contexts.get('a')).toEqual({ cluster: 'one', user: 'alice', namespace: 'team-a' });
    expect(kc.contexts.get('b')).toEqual({ cluster: 'two', user: 'bob' });
    expect(kc.clusters.get('one')?.server).toBe('https://one:6443');
    expect(kc.users.get('alice')?.token).toBe('first-token');
  });

  it('resolves relative certificate paths against the file that names them', () => {
    const kc = readKubeconfig([first]);
    expect(kc.clusters.get('one')?.caFile).toBe(join(dir, 'pki/ca.crt'));
  });

  it('reads KUBECONFIG entries in order and skips files that do not exist', () => {
    const env = { KUBECONFIG: [join(dir, 'absent.yaml'), second, first].join(':') };
    expect(kubeconfigFiles({ env })).toEqual([second, first]);
    expect(kubeconfigFiles({ kubeconfig: first, env })).toEqual([first]);
  });

  it('names the file in a one-line error when it is not YAML', () => {
    const bad = write('bad.yaml', 'clusters: [\n');
    expect(() => readKubeconfig([bad])).toThrow(bad);
  });

  it('lists contexts with server and namespace, filtered by name', () => {
    const { contexts, current } = loadContexts({ kubeconfig: second, contexts: ['b'] });
    expect(current).toBe('b');
    expect(contexts.map((c) => [c.name, c.server])).toEqual([['b', 'https://two:6443']]);
  });
});

describe('user auth', () => {
  it('applies TLS options, a bearer token or basic auth', async () => {
    const kc = readKubeconfig([first, second]);
    const o: RequestOptions = {};
    const token = new UserAuth(
      { ...kc.clusters.get('two')!, tlsServerName: 'two.internal' },
      kc.users.get('alice')!,
    );
    await token.apply(o);
    expect(o.rejectUnauthorized).toBe(false);
    expect(o.servername).toBe('two.internal');
    expect((o.headers as Record<string, string>).Authorization).toBe('Bearer first-token');
    const basic: RequestOptions = {};
    await new UserAuth(kc.clusters.get('two')!, kc.users.get('bob')!).apply(basic);
    expect((basic.headers as Record<string, string>).Authorization).toBe(
      `Basic ${Buffer.from('bob:secret').toString('base64')}`,
    );
  });

  it('reads a token file each time options are built (a rotated token is picked up)', async () => {
    const tf = write('token', 'one\n');
    const auth = new UserAuth({ server: 'https://x' }, { tokenFile: tf });
    const a: RequestOptions = {};
    await auth.apply(a);
    expect((a.headers as Record<string, string>).Authorization).toBe('Bearer one');
    writeFileSync(tf, 'two');
    const b: RequestOptions = {};
    await auth.apply(b);
    expect((b.headers as Record<string, string>).Authorization).toBe('Bearer two');
  });

  it('runs an exec plugin with its env and KUBERNETES_EXEC_INFO, caches until expiry, refreshes on demand', async () => {
    const count = join(dir, 'count');
    const plugin = write(
      'plugin.mjs',
      `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const n = (existsSync(process.env.COUNT) ? Number(readFileSync(process.env.COUNT, 'utf8')) : 0) + 1;
writeFileSync(process.env.COUNT, String(n));
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential',
  status: { token: 'tok-' + n + '-' + info.spec.interactive,
            expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));`,
    );
    const auth = new UserAuth(
      { server: 'https://x' },
      {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [plugin],
          env: [{ name: 'COUNT', value: count }],
        },
      },
    );
    const header = async (refresh = false) => {
      const o: RequestOptions = {};
      const r = await auth.apply(o, { refresh });
      return { auth: (o.headers as Record<string, string>).Authorization, expiresAt: r.expiresAt };
    };
    const a = await header();
    expect(a.auth).toBe('Bearer tok-1-false');
    expect(a.expiresAt).toBeGreaterThan(Date.now() + 3500e3);
    expect((await header()).auth).toBe('Bearer tok-1-false');
    expect((await header(true)).auth).toBe('Bearer tok-2-false');
  });

  it('says which plugin failed, in one line', async () => {
    const auth = new UserAuth(
      { server: 'https://x' },
      {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: join(dir, 'no-such-plugin'),
          args: [],
          env: [],
        },
      },
    );
    await expect(auth.apply({})).rejects.toThrow(/exec credential plugin .*no-such-plugin failed/);
  });
});
