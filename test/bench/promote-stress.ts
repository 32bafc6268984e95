/**
 * Promotion stress: N concurrent promoters (each with its own clone, as separate bastions would
 * have) × R rounds against ONE bare origin. Promoter i owns service i; round r promotes version
 * `v1.<i>.<r>` of it from staging to prod, so every commit is identifiable. Afterwards every
 * promotion commit must be on origin exactly once (none lost, none duplicated), and no private
 * worktree or temporary branch may be left. Run with `npx tsx test/bench/promote-stress.ts [N] [R]`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PushError, PushFailure } from '../../src/engine/git/push.js';
import { planPromotion, promote, setKustomizeImage } from '../../src/engine/promote/index.js';
import { shopAppSpecs } from '../engine/promote/fixture-apps.js';
import { git, makeKustomizeShop } from '../fixtures/repos/index.js';

/** Figures of one stress run. */
export type StressResult = {
  promoters: number;
  rounds: number;
  /** Promotions attempted (promoters × rounds). */
  expected: number;
  /** Promotion commits found on origin's main. */
  onOrigin: number;
  /** `service@version` promoted but not on origin. */
  missing: string[];
  /** `service@version` on origin more than once. */
  duplicated: string[];
  /** Promotions that failed, one line each (push errors keep their commit on a local branch). */
  failures: string[];
  /** Rebase-and-retry rounds, in total and at most for one promotion. */
  retries: number;
  maxRetries: number;
  /**
   * Promotions run again after their push gave up ("still rejected after 5 retries": origin kept
   * moving), as an operator would; the given-up commit stays on a local `bosun/unpushed/…` branch.
   */
  reruns: number;
  /** Private worktrees or `bosun/tmp-*` branches left in any clone. */
  leftovers: string[];
  wallMs: number;
};

/** Runs the stress scenario and returns its figures. */
export async function runPromoteStress(opts: { promoters: number; rounds: number }): Promise<StressResult> {
  const services = Array.from({ length: opts.promoters }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
  const shop = await makeKustomizeShop({ services, envs: ['staging', 'prod'] });
  const apps = shopAppSpecs(shop.repoURL, services, ['staging', 'prod']);
  const clones = services.map((svc) => {
    const dir = join(shop.root, `bastion-${svc}`);
    git(shop.root, ['clone', '--quiet', shop.origin, dir]);
    return dir;
  });
  const fileOf = (svc: string, env: string) => `apps/${svc}/overlays/${env}/kustomization.yaml`;
  const image = (svc: string) => `registry.local/shop/${svc}`;
  const failures: string[] = [];
  const retries: number[] = [];
  let reruns = 0;
  const expected = new Set<string>();
  const started = Date.now();
  try {
    await Promise.all(
      services.map(async (svc, i) => {
        const work = clones[i] as string;
        const cacheDir = join(shop.root, `cache-${svc}`);
        const staging = readFileSync(join(work, fileOf(svc, 'staging')), 'utf8');
        let prod = readFileSync(join(work, fileOf(svc, 'prod')), 'utf8');
        for (let r = 0; r < opts.rounds; r++) {
          const version = `v1.${i}.${r}`;
          expected.add(`${svc}@${version}`);
          // The release engineer's view: staging runs the new version, prod what this promoter pushed last.
          const files: Record<string, string> = {
            [fileOf(svc, 'staging')]: setKustomizeImage(staging, { name: image(svc), newTag: version }),
            [fileOf(svc, 'prod')]: prod,
          };
          try {
            const plan = await planPromotion({
              service: svc,
              from: 'staging',
              apps,
              readFile: (p) => files[p],
              identity: `promoter-${i}@stress`,
            });
            const res = await promoteAsAnOperatorWould(
              () =>
                promote({
                  repoPath: work,
                  cacheDir,
                  targetBranch: 'main',
                  plan,
                  identity: `promoter-${i}@stress`,
                }),
              () => reruns++,
            );
            retries.push(res.retries);
            prod = plan.edits[0]?.after ?? prod;
          } catch (err) {
            failures.push(`${svc}@${version}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }),
    );
    const wallMs = Date.now() - started;
    const log = git(shop.origin, [
      'log',
      '--format=%(trailers:key=Bosun-Service,valueonly,separator=%x2c)%x1f%s',
      'main',
    ]);
    const counts = new Map<string, number>();
    for (const line of log.split('\n')) {
      const [svc, subject] = line.split('\x1f');
      const version = / → (\S+) to prod \(from staging\)$/.exec(subject ?? '')?.[1];
      if (!svc || !version) continue;
      const key = `${svc}@${version}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const leftovers: string[] = [];
    for (const work of clones) {
      const wts = git(work, ['worktree', 'list', '--porcelain'])
        .split('\n')
        .filter((l) => l.startsWith('worktree '));
      if (wts.length > 1) leftovers.push(`${work}: ${wts.length - 1} worktree(s)`);
      const tmp = git(work, ['branch', '--list', 'bosun/tmp-*']);
      if (tmp) leftovers.push(`${work}: ${tmp.replace(/\s+/g, ' ')}`);
    }
    return {
      promoters: opts.promoters,
      rounds: opts.rounds,
      expected: expected.size,
      onOrigin: [...counts.values()].reduce((a, b) => a + b, 0),
      missing: [...expected].filter((k) => !counts.has(k)),
      duplicated: [...counts].filter(([, n]) => n > 1).map(([k]) => k),
      failures,
      retries: retries.reduce((a, b) => a + b, 0),
      reruns,
      maxRetries: retries.reduce((a, b) => Math.max(a, b), 0),
      leftovers,
      wallMs,
    };
  } finally {
    await shop.cleanup();
  }
}

/** Runs a promotion; when its push gives up because origin kept moving, runs it again (at most 5 times). */
async function promoteAsAnOperatorWould<T>(run: () => Promise<T>, onRerun: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof PushError) || err.kind !== PushFailure.RetriesExhausted || attempt >= 5) throw err;
      onRerun();
    }
  }
}

/** One line per figure. */
export function formatStress(r: StressResult): string {
  return [
    `promote stress: ${r.promoters} promoters × ${r.rounds} rounds against one bare origin`,
    `  promotions expected     ${r.expected}`,
    `  promotion commits found ${r.onOrigin}`,
    `  missing / duplicated    ${r.missing.length} / ${r.duplicated.length}`,
    `  failed promotions       ${r.failures.length}`,
    `  rebase-and-retry rounds ${r.retries} in total, at most ${r.maxRetries} for one promotion`,
    `  re-runs after 5 retries ${r.reruns} (origin kept moving; the operator presses promote again)`,
    `  leftovers               ${r.leftovers.length}`,
    `  wall time               ${(r.wallMs / 1000).toFixed(1)} s (${(r.wallMs / Math.max(1, r.expected)).toFixed(0)} ms per promotion)`,
    ...r.failures.slice(0, 5).map((f) => `  ! ${f}`),
    ...r.missing.slice(0, 5).map((m) => `  missing ${m}`),
    ...r.duplicated.slice(0, 5).map((d) => `  duplicated ${d}`),
    ...r.leftovers.slice(0, 5).map((l) => `  leftover ${l}`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const promoters = Number(process.argv[2] ?? 10);
  const rounds = Number(process.argv[3] ?? 20);
  const result = await runPromoteStress({ promoters, rounds });
  process.stdout.write(`${formatStress(result)}\n`);
  const ok =
    result.missing.length === 0 &&
    result.duplicated.length === 0 &&
    result.failures.length === 0 &&
    result.leftovers.length === 0 &&
    result.onOrigin === result.expected;
  process.exitCode = ok ? 0 : 1;
}
