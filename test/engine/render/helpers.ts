import { join } from 'node:path';
import { binPath } from '../../../src/demo/controlplane/bins.js';
import { GitRepo } from '../../../src/engine/git/index.js';
import type { AppSource, AppSpec } from '../../../src/engine/model/index.js';
import type { RenderAppOptions } from '../../../src/engine/render/index.js';
import type { FixtureApp, FixtureRepo } from '../../fixtures/repos/index.js';

/** Real kustomize and helm from the control-plane cache. */
export function bins(): { kustomizeBin: string; helmBin: string } {
  return { kustomizeBin: binPath('kustomize'), helmBin: binPath('helm') };
}

/** An AppSpec with defaults for what rendering does not read. */
export function makeSpec(opts: {
  name: string;
  sources: AppSource[];
  namespace?: string;
  service?: string;
}): AppSpec {
  return {
    name: opts.name,
    project: 'default',
    sources: opts.sources,
    destination: { name: 'dev', namespace: opts.namespace ?? 'default' },
    labels: {},
    annotations: {},
    origin: {},
    service: opts.service ?? opts.name,
  };
}

/** The AppSpec the fixture's Application (or generated Application) would produce. */
export function fixtureSpec(repo: FixtureRepo, app: FixtureApp): AppSpec {
  let sources: AppSource[];
  if (app.path === 'charts/service') {
    sources = [
      {
        repoURL: repo.repoURL,
        targetRevision: 'HEAD',
        path: app.path,
        helm: {
          releaseName: app.service,
          valueFiles: [`$values/environments/${app.environment}/${app.service}/values.yaml`],
        },
      },
      { repoURL: repo.repoURL, targetRevision: 'HEAD', ref: 'values' },
    ];
  } else if (app.path === 'apps/billing') {
    sources = [
      { repoURL: repo.repoURL, targetRevision: 'main', path: app.path, directory: { recurse: true } },
    ];
  } else {
    sources = [{ repoURL: repo.repoURL, targetRevision: 'main', path: app.path }];
  }
  return makeSpec({ name: app.name, sources, namespace: app.namespace, service: app.service });
}

/** Opens the fixture's work clone and materialises `rev`. */
export async function snapshotOf(
  repo: FixtureRepo,
  rev = 'main',
): Promise<{ git: GitRepo; sha: string; snapshotDir: string }> {
  const git = await GitRepo.open({ path: repo.work, cacheDir: join(repo.root, 'cache') });
  const sha = await git.resolve(rev);
  return { git, sha, snapshotDir: await git.snapshot(sha) };
}

/** Render options for a snapshot with the real binaries. */
export function renderOpts(spec: AppSpec, snap: { sha: string; snapshotDir: string }): RenderAppOptions {
  return { spec, snapshotDir: snap.snapshotDir, revision: snap.sha, ...bins() };
}

/** A rendered object read loosely in assertions (deep spec fields). */
// biome-ignore lint/suspicious/noExplicitAny: tests read deep, kind-specific fields of rendered objects
export type Loose = any;
