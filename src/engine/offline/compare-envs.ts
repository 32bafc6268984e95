import { environmentOrder } from '../apps/environment.js';
import type { AppSpec } from '../model/index.js';
import { folder, foldObject } from './fold.js';
import { diffObjectSets, type ObjectDelta } from './object-diff.js';
import { diffSourceFiles, type FileDelta, listInputFiles } from './source-files.js';
import { Workspace, type WorkspaceOptions } from './workspace.js';

/** One side of an environment comparison. */
export type CompareSide = {
  environment: string;
  app: string;
  namespace?: string;
  revision: string;
  /** Set when the app could not be rendered; the comparison then has no resources. */
  error?: string;
};

/** The rendered manifests and Git source files of one service in two environments, compared. */
export type EnvComparison = {
  service: string;
  a: CompareSide;
  b: CompareSide;
  /** Every resource of either side (folded names), with what differs. */
  resources: ObjectDelta[];
  /** Source files that feed only one environment, paired and diffed. */
  files: FileDelta[];
  /** True when the folded renders and the paired source files are the same. */
  identical: boolean;
};

/** Options of `compareEnvironments`. */
export type CompareEnvOptions = WorkspaceOptions & {
  service: string;
  envA: string;
  envB: string;
  /** Git revision to read (default: the branch head). */
  revision?: string;
};

/** Why a comparison cannot start (unknown service or environment); carries a one-line message. */
export class CompareError extends Error {}

function pick(apps: AppSpec[], service: string, env: string): AppSpec {
  const ofService = apps.filter((a) => a.service === service);
  if (ofService.length === 0) {
    const known = [...new Set(apps.map((a) => a.service))].sort();
    throw new CompareError(
      `no service "${service}" in the repository (services: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})`,
    );
  }
  const app = ofService.find((a) => a.environment === env) ?? ofService.find((a) => a.name === env);
  if (!app) {
    // In chain order (dev, staging, prod …), as a person reads them.
    const envs = environmentOrder(
      { environments: [] },
      ofService.map((a) => a.environment ?? a.name),
    ).join(', ');
    throw new CompareError(`service "${service}" has no app in environment "${env}" (it has: ${envs})`);
  }
  return app;
}

/**
 * Compares one service in two environments from Git alone: both apps rendered at the same revision,
 * normalised (namespace dropped, app name, namespace and environment name folded into placeholders)
 * so that only real differences remain, plus the source files that feed only one of them.
 */
export async function compareEnvironments(opts: CompareEnvOptions): Promise<EnvComparison> {
  const ws = await Workspace.open(opts);
  const view = await ws.at(opts.revision);
  const specA = pick(view.discovery.apps, opts.service, opts.envA);
  const specB = pick(view.discovery.apps, opts.service, opts.envB);
  // Only what differs between the two apps is folded: a namespace both share stays as written.
  const nsDiffer = specA.destination.namespace !== specB.destination.namespace;
  const tokens = (s: AppSpec, env: string) => ({
    app: specA.name === specB.name ? '' : s.name,
    environment: s.environment ?? env,
    ...(nsDiffer && s.destination.namespace ? { namespace: s.destination.namespace } : {}),
  });
  const foldA = folder(tokens(specA, opts.envA));
  const foldB = folder(tokens(specB, opts.envB));
  const [ra, rb] = await Promise.all([ws.render(view, specA), ws.render(view, specB)]);
  const side = (s: AppSpec, env: string, r: typeof ra): CompareSide => ({
    environment: env,
    app: s.name,
    ...(s.destination.namespace ? { namespace: s.destination.namespace } : {}),
    revision: view.sha,
    ...(r.ok ? {} : { error: r.error }),
  });
  const resources =
    ra.ok && rb.ok
      ? diffObjectSets({
          a: ra.objects.map((o) => foldObject(o, foldA)),
          b: rb.objects.map((o) => foldObject(o, foldB)),
          labelA: opts.envA,
          labelB: opts.envB,
        })
      : [];
  const [inA, inB] = await Promise.all([ws.inputs(view, specA), ws.inputs(view, specB)]);
  const files = await diffSourceFiles({
    a: { snapshotDir: view.snapshotDir, files: await listInputFiles(view.snapshotDir, inA) },
    b: { snapshotDir: view.snapshotDir, files: await listInputFiles(view.snapshotDir, inB) },
    foldA,
    foldB,
    labelA: opts.envA,
    labelB: opts.envB,
  });
  return {
    service: opts.service,
    a: side(specA, opts.envA, ra),
    b: side(specB, opts.envB, rb),
    resources,
    files,
    identical: ra.ok && rb.ok && resources.every((r) => r.status === 'same') && files.every((f) => !f.diff),
  };
}
