import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceChartFiles } from '../../../src/demo/repos/helm-platform.js';
import type { AppSource, RenderResult } from '../../../src/engine/model/index.js';
import { renderApp } from '../../../src/engine/render/index.js';
import { commitFiles, createFixtureRepo, type FixtureRepo, yamlDocs } from '../../fixtures/repos/index.js';
import { makeSpec, renderOpts, snapshotOf } from './helpers.js';

let repo: FixtureRepo;
let snap: { sha: string; snapshotDir: string };
let fakes: string;

const cm = (name: string) =>
  yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

beforeAll(async () => {
  repo = await createFixtureRepo({
    name: 'bad-input',
    files: {
      ...serviceChartFiles(),
      'values/prod.yaml': 'replicaCount: 3\n',
      'kz/broken/kustomization.yaml': yamlDocs({ resources: ['deployment.yaml', 'missing.yaml'] }),
      'kz/broken/deployment.yaml': cm('x'),
      'kz/escape/kustomization.yaml': yamlDocs({ resources: ['../../../../../../etc'] }),
      'kz/ok/kustomization.yaml': yamlDocs({ resources: ['cm.yaml'] }),
      'kz/ok/cm.yaml': cm('ok'),
      'dir/invalid/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n',
      'dir/dupkeys/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
      'dir/bomb/cm.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: lol}',
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
        'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
        'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
        '',
      ].join('\n'),
      'dir/noname/all.yaml': `${cm('first')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n`,
      'dir/mixed/cm.yaml': cm('real'),
      'dir/mixed/settings.yaml': 'replicaCount: 2\nimage:\n  tag: v1\n',
      'dir/mixed/broken-notes.yaml': 'this: is: not: yaml\n',
      'dir/mixed/README.md': '# not a manifest\n',
      'dir/mixed/list.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }))],
      }),
      'dir/big/cm.yaml': `${cm('big')}---\n${cm('big2').replace('a: "1"', `a: "${'x'.repeat(4096)}"`)}`,
      'dir/ok/cm.yaml': cm('ok'),
    },
  });
  // symlinks: out of the repository, and one inside it
  const w = repo.work;
  await mkdir(join(w, 'links/dir'), { recursive: true });
  await symlink('/etc/hostname', join(w, 'links/dir/host.yaml'));
  await mkdir(join(w, 'links/kz'), { recursive: true });
  await writeFile(join(w, 'links/kz/kustomization.yaml'), yamlDocs({ resources: ['cm.yaml'] }));
  await symlink('../../../../../../../../etc/hostname', join(w, 'links/kz/cm.yaml'));
  await symlink('/etc', join(w, 'links/app-etc'));
  await symlink('/etc/hostname', join(w, 'values/escape.yaml'));
  await symlink('../dir/ok', join(w, 'links/inside'));
  await commitFiles(repo, {}, 'symlinks');
  snap = await snapshotOf(repo);
  fakes = await mkdtemp(join(tmpdir(), 'bosun-fake-bins-'));
});

afterAll(async () => {
  await repo?.cleanup();
  if (fakes) await rm(fakes, { recursive: true, force: true });
});

async function fakeBin(name: string, script: string): Promise<string> {
  const p = join(fakes, name);
  await writeFile(p, `#!/bin/sh\n${script}\n`);
  await chmod(p, 0o755);
  return p;
}

function render(sources: AppSource[], extra: Record<string, unknown> = {}): Promise<RenderResult> {
  return renderApp({ ...renderOpts(makeSpec({ name: 'bad', sources, namespace: 'bad' }), snap), ...extra });
}
const src = (path: string, more: Partial<AppSource> = {}): AppSource => ({
  repoURL: repo.repoURL,
  path,
  ...more,
});
const chart = (helm: AppSource['helm']) => src('charts/service', { helm });

/** True while a process runs (a killed zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return !existsSync('/proc/self');
    } catch {
      return false;
    }
  }
}

describe('paths that do not exist or leave the repository', () => {
  it('a missing app path', async () => {
    expect(await render([src('apps/nope')])).toEqual({
      ok: false,
      error: 'app path apps/nope does not exist in the repository',
      revision: snap.sha,
    });
  });

  it('an app path with .. or an absolute path', async () => {
    expect(await render([src('../outside')])).toMatchObject({
      ok: false,
      error: 'app path "../outside" leaves the repository',
    });
    expect(await render([src('/etc')])).toMatchObject({
      ok: false,
      error: 'app path "/etc" is an absolute path; only paths inside the repository are allowed',
    });
  });

  it('value files with .., absolute, URL or unknown $ref', async () => {
    expect(await render([chart({ valueFiles: ['../../../secrets.yaml'] })])).toMatchObject({
      ok: false,
      error: 'value file "../../../secrets.yaml" leaves the repository',
    });
    expect(await render([chart({ valueFiles: ['/etc/passwd'] })])).toMatchObject({
      ok: false,
      error: 'value file "/etc/passwd" is an absolute path; only paths inside the repository are allowed',
    });
    expect(await render([chart({ valueFiles: ['https://example.invalid/values.yaml'] })])).toMatchObject({
      ok: false,
      error:
        'value file "https://example.invalid/values.yaml" is a URL; bosun renders offline from the repository only',
    });
    expect(
      await render([
        chart({ valueFiles: ['$values/../../x.yaml'] }),
        { repoURL: repo.repoURL, ref: 'values' },
      ]),
    ).toMatchObject({
      ok: false,
      error: 'value file "$values/../../x.yaml" leaves the repository',
    });
    expect(await render([chart({ valueFiles: ['$other/values/prod.yaml'] })])).toMatchObject({
      ok: false,
      error: 'value file "$other/values/prod.yaml" refers to $other, but no source has ref: other',
    });
    // inside the repository, `..` is fine
    expect((await render([chart({ valueFiles: ['../../values/prod.yaml'] })])).ok).toBe(true);
  });

  it('a kustomization that refers outside the repository', async () => {
    expect(await render([src('kz/escape')])).toMatchObject({
      ok: false,
      error: 'path "../../../../../../etc" in kustomization kz/escape leaves the repository',
    });
  });
});

describe('symlinks that leave the repository', () => {
  it('a manifest file in a directory app', async () => {
    expect(await render([src('links/dir')])).toMatchObject({
      ok: false,
      error: 'links/dir/host.yaml is a symlink that leaves the repository',
    });
  });

  it('a file of a kustomization', async () => {
    expect(await render([src('links/kz')])).toMatchObject({
      ok: false,
      error: 'links/kz/cm.yaml is a symlink that leaves the repository',
    });
  });

  it('the app path itself', async () => {
    expect(await render([src('links/app-etc')])).toMatchObject({
      ok: false,
      error: 'app path "links/app-etc" is a symlink that leaves the repository',
    });
  });

  it('a value file', async () => {
    expect(await render([chart({ valueFiles: ['../../values/escape.yaml'] })])).toMatchObject({
      ok: false,
      error: 'value file "../../values/escape.yaml" is a symlink that leaves the repository',
    });
  });

  it('a symlink that stays inside the repository is followed', async () => {
    const r = await render([src('links/inside')]);
    expect(r.ok && r.objects.map((o) => o.metadata.name)).toEqual(['ok']);
  });
});

describe('failing tools', () => {
  it('kustomize failure gives its last meaningful line', async () => {
    const r = await render([src('kz/broken')]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^kustomize build failed: accumulating resources: .*missing\.yaml.*/);
    expect(r.error).not.toContain('\n');
    expect(r.error).not.toContain(snap.snapshotDir);
  });

  it('helm failure gives its error line', async () => {
    const r = await render([chart({ parameters: [{ name: 'image', value: 'oops' }] })]);
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.error).toMatch(
      /^helm template failed: template: service\/templates\/deployment\.yaml:\d+:\d+: executing .*can't evaluate field repository/,
    );
  });

  it('a render that hangs is killed with its children after the timeout', async () => {
    const pids = join(fakes, 'hang.pids');
    const bin = await fakeBin('kustomize-hang', `echo $$ > ${pids}\nsleep 30 &\necho $! >> ${pids}\nwait`);
    const started = Date.now();
    const r = await render([src('kz/ok')], { kustomizeBin: bin, timeoutMs: 500 });
    expect(r).toMatchObject({ ok: false, error: 'render timed out after 0.5s' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const [shell, sleeper] = (await readFile(pids, 'utf8')).trim().split('\n').map(Number);
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(shell!)).toBe(false);
    expect(alive(sleeper!)).toBe(false);
  });

  it('output over maxBytes is refused and the tool killed', async () => {
    const bin = await fakeBin('kustomize-flood', 'while :; do echo "apiVersion: v1"; done');
    expect(await render([src('kz/ok')], { kustomizeBin: bin, maxBytes: 1024 * 1024 })).toMatchObject({
      ok: false,
      error: 'rendered manifests exceed 1 MiB',
    });
    expect(await render([src('dir/big')], { maxBytes: 2048 })).toMatchObject({
      ok: false,
      error: 'rendered manifests exceed 2 KiB',
    });
    expect(await render([chart({})], { maxBytes: 100 })).toMatchObject({
      ok: false,
      error: 'rendered manifests exceed 100 bytes',
    });
  });

  it('a missing binary, a failing exit without stderr, an invalid object in the output', async () => {
    const r1 = await render([src('kz/ok')], { kustomizeBin: join(fakes, 'no-such-kustomize') });
    expect(r1).toMatchObject({ ok: false });
    expect(!r1.ok && r1.error).toMatch(/^kustomize build could not be started: .*ENOENT/);
    expect(
      await render([src('kz/ok')], { kustomizeBin: await fakeBin('kustomize-exit', 'exit 3') }),
    ).toMatchObject({
      ok: false,
      error: 'kustomize build failed: exit code 3',
    });
    const bad = await fakeBin(
      'kustomize-noname',
      `printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata: {}\\n'`,
    );
    expect(await render([src('kz/ok')], { kustomizeBin: bad })).toMatchObject({
      ok: false,
      error: 'kustomize output: document 2: object (ConfigMap) has no metadata.name',
    });
  });

  it('an aborted render', async () => {
    const bin = await fakeBin('kustomize-slow', 'sleep 30');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect(await render([src('kz/ok')], { kustomizeBin: bin, signal: ac.signal })).toMatchObject({
      ok: false,
      error: 'render cancelled',
    });
  });
});

describe('bad manifests', () => {
  it('invalid YAML names the file and document', async () => {
    const r = await render([src('dir/invalid')]);
    expect(!r.ok && r.error).toMatch(/^dir\/invalid\/cm\.yaml: document 1: /);
  });

  it('duplicate keys', async () => {
    expect(await render([src('dir/dupkeys')])).toMatchObject({
      ok: false,
      error: 'dir/dupkeys/cm.yaml: document 1: Map keys must be unique',
    });
  });

  it('a YAML bomb', async () => {
    expect(await render([src('dir/bomb')])).toMatchObject({
      ok: false,
      error: 'dir/bomb/cm.yaml: document 1: Excessive alias count indicates a resource exhaustion attack',
    });
  });

  it('an object without metadata.name names the document index', async () => {
    expect(await render([src('dir/noname')])).toMatchObject({
      ok: false,
      error: 'dir/noname/all.yaml: document 2: object (ConfigMap) has no metadata.name',
    });
  });

  it('YAML that is not a manifest and other files are skipped; Lists are flattened', async () => {
    const r = await render([src('dir/mixed')]);
    expect(r.ok && r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/real',
      'Secret/s',
    ]);
  });
});

describe('sources that cannot be rendered', () => {
  it('a remote Helm chart, an app with only a ref source, conflicting types', async () => {
    expect(
      await render([{ repoURL: 'https://charts.example.invalid', chart: 'nginx', targetRevision: '1.0.0' }]),
    ).toMatchObject({
      ok: false,
      error:
        'Helm chart nginx from https://charts.example.invalid is a remote chart; bosun renders charts in the repository only',
    });
    expect(await render([{ repoURL: repo.repoURL, ref: 'values' }])).toMatchObject({
      ok: false,
      error: 'application has no source to render',
    });
    expect(
      await render([src('kz/ok', { helm: { releaseName: 'x' }, kustomize: { namePrefix: 'p-' } })]),
    ).toMatchObject({
      ok: false,
      error: 'source sets more than one of kustomize, helm, directory (Kustomize, Helm)',
    });
  });

  it('a missing snapshot', async () => {
    expect(
      await renderApp({
        ...renderOpts(makeSpec({ name: 'x', sources: [src('kz/ok')] }), snap),
        snapshotDir: '/nonexistent/bosun',
      }),
    ).toMatchObject({
      ok: false,
      error: 'snapshot /nonexistent/bosun does not exist',
    });
  });

  it('one failing source of a multi-source app fails the app with the source named', async () => {
    const r = await render([src('dir/ok'), src('kz/broken')]);
    expect(!r.ok && r.error).toMatch(/^source 2 \(kz\/broken\): kustomize build failed: /);
    // Both sources render ConfigMap "ok": one key twice is a RepeatedResourceWarning, never a silent merge.
    const both = await render([src('dir/ok'), src('kz/ok')]);
    expect(!both.ok && both.error).toBe(
      'RepeatedResourceWarning: the render has the same resource more than once: ConfigMap/bad/ok (2 times)',
    );
  });
});
