/** Shared set-up, types and constants of the CLI e2e files (cli-commands, cli-refusals). */
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { git, type KustomizeShop, makeKustomizeShop } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, kubectl, type RunResult } from './helpers.js';

/** One app of `bosun apps -o json`. */
export type AppJson = {
  name: string;
  project: string;
  service: string;
  environment: string | null;
  context: string | null;
  namespace: string | null;
  sync: string;
  health: string;
  healthMessage: string | null;
  revision: string | null;
  objects: number;
  images: string[];
  automated: boolean;
  conditions: { type: string; message: string }[];
  resources: {
    key: string;
    sync: string;
    health: string | null;
    message: string | null;
    changedPaths: string[];
  }[];
};
/** A node of `bosun get -o json`. */
export type TreeNode = {
  key: { group: string; kind: string; namespace: string; name: string };
  children: TreeNode[];
};
/** `bosun history -o json`. */
export type HistoryJson = {
  app: string;
  history: { sha: string; shortSha: string; subject: string; runningIn: string[] }[];
};

/** The keys of one app in `apps -o json`. */
export const APP_KEYS = [
  'name',
  'project',
  'service',
  'environment',
  'context',
  'namespace',
  'sync',
  'health',
  'healthMessage',
  'revision',
  'objects',
  'images',
  'automated',
  'conditions',
  'operation',
  'syncWindow',
  'applicationSet',
  'refreshing',
  'resources',
].sort();

/** A Secret value set live. */
export const LIVE_SECRET = 's3cr3t-value-DO-NOT-LEAK';
/** A Secret value committed to Git. */
export const GIT_SECRET = 's3cr3t-git-value-DO-NOT-LEAK';
/** Base64 of a string. */
export const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Strings that must never appear in any output: both secret values, plain and base64. */
export const FORBIDDEN = [
  LIVE_SECRET,
  GIT_SECRET,
  b64(LIVE_SECRET),
  b64(GIT_SECRET),
  b64(LIVE_SECRET).replace(/=+$/, ''),
  b64(GIT_SECRET).replace(/=+$/, ''),
];

/** The three clusters. */
export const all = ['dev', 'staging', 'production'];
/** The lines of a run's stderr. */
export const oneLine = (r: RunResult) => r.stderr.trim().split('\n');

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** The shared state of one CLI e2e file. */
export type CliSuite = {
  shop: KustomizeShop;
  /** Everything any bosun run of this file printed, for the secret scan at the end. */
  captured: { args: string[]; out: string }[];
  run(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  appsJson(extra?: string[]): Promise<AppJson[]>;
  originHead(): string;
  devDeployment(): string;
};

/**
 * Registers the set-up of a CLI e2e file (inside its describe): a fresh one-service shop repository,
 * namespaces and history cleared on every cluster, then the apps in `syncFirst` synced.
 */
export function cliSuite(opts: { syncFirst?: string[] } = {}): CliSuite {
  const ctx = { captured: [] } as unknown as CliSuite;

  ctx.run = async (
    args: string[],
    runOpts: { input?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<RunResult> => {
    const r = await bosun([...args, '--repo', ctx.shop.work], runOpts);
    ctx.captured.push({ args, out: r.stdout + r.stderr });
    return r;
  };
  ctx.appsJson = async (extra: string[] = []) => {
    const r = await ctx.run(['apps', '-o', 'json', ...extra]);
    return (JSON.parse(r.stdout) as { apps: AppJson[] }).apps;
  };
  ctx.originHead = () => git(ctx.shop.origin, ['rev-parse', 'main']);
  ctx.devDeployment = () =>
    kubectl('dev', [
      '-n',
      'shop',
      'get',
      'deploy',
      'order-service',
      '--ignore-not-found',
      '-o',
      'name',
    ]).trim();

  beforeAll(async () => {
    await deleteNamespace('shop', all);
    for (const c of all)
      kubectl(c, [
        'delete',
        'configmap',
        '-n',
        'bosun-system',
        '-l',
        'app.kubernetes.io/managed-by=bosun',
        '--ignore-not-found',
      ]);
    ctx.shop = await makeKustomizeShop({ services: ['order-service'] });
    for (const app of opts.syncFirst ?? []) {
      const r = await ctx.run(['sync', app, '--yes']);
      if (r.code !== 0) throw new Error(`setup: sync ${app} failed: ${r.stderr}`);
    }
  });
  afterAll(async () => {
    await deleteNamespace('shop', all);
    await ctx.shop?.cleanup();
  });
  return ctx;
}
