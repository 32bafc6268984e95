/** Promotion and revert at the git level: real repositories, a bare origin, the user's dirty clone. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PushError } from '../../../src/engine/git/push.js';
import { previewRevert, revertChangePlan, revertCommit } from '../../../src/engine/git/revert.js';
import { promote } from '../../../src/engine/promote/index.js';
import {
  commitFiles,
  git,
  type KustomizeShop,
  makeHelmPlatform,
  makeKustomizeShop,
} from '../../fixtures/repos/index.js';
import { platformAppSpecs, shopAppSpecs } from '../promote/fixture-apps.js';
import {
  atOrigin,
  dirtyWorkTree,
  expectNothingLeft,
  otherClone,
  planFromOrigin,
  userState,
} from '../promote/git-helpers.js';

const who = 'alice@bastion';
const prodFile = 'apps/order-service/overlays/prod/kustomization.yaml';

let shop: KustomizeShop;
let cacheDir: string;
let apps: ReturnType<typeof shopAppSpecs>;

beforeEach(async () => {
  shop = await makeKustomizeShop({ services: ['order-service', 'payment-service'] });
  cacheDir = join(shop.root, 'cache');
  apps = shopAppSpecs(shop.repoURL, shop.services, shop.envs);
  dirtyWorkTree(shop.work);
});

afterEach(async () => {
  await shop.cleanup();
});

const plan = (opts: { service?: string | string[]; from?: string; to?: string } = {}) =>
  planFromOrigin({
    work: shop.work,
    cacheDir,
    service: opts.service ?? 'order-service',
    from: opts.from ?? 'staging',
    ...(opts.to ? { to: opts.to } : {}),
    apps,
  });

describe('promote (acceptance)', () => {
  it('promotes order-service staging → prod: only newTag changes, origin has the commit with trailers; revert undoes it', async () => {
    const before = userState(shop.work);
    const original = (await atOrigin(shop.origin, cacheDir, prodFile)) as string;
    const p = await plan();
    expect(p.summary).toBe('order-service v1.47.1 → v1.47.2');

    const res = await promote({
      repoPath: shop.work,
      cacheDir,
      targetBranch: 'main',
      plan: p,
      identity: who,
    });
    expect(res).toMatchObject({ pushedTo: 'origin/main', branch: 'main', retries: 0, files: [prodFile] });
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(res.commit);

    // Byte-compare: the file differs from the original in exactly the newTag scalar.
    const promoted = await atOrigin(shop.origin, cacheDir, prodFile, res.commit);
    expect(original).toContain('newTag: v1.47.1\n');
    expect(promoted).toBe(original.replace('newTag: v1.47.1\n', 'newTag: v1.47.2\n'));
    expect(git(shop.origin, ['show', '--format=', '--name-only', res.commit])).toBe(prodFile);
    const message = git(shop.origin, ['log', '-1', '--format=%B', res.commit]);
    expect(message.split('\n')[0]).toBe('promote order-service v1.47.1 → v1.47.2 to prod (from staging)');
    expect(
      git(shop.origin, ['log', '-1', '--format=%(trailers:key=Promoted-by,valueonly)', res.commit]),
    ).toBe(who);
    expect(git(shop.origin, ['log', '-1', '--format=%(trailers:key=Bosun-To,valueonly)', res.commit])).toBe(
      'prod',
    );
    expect(git(shop.origin, ['log', '-1', '--format=%an <%ae>|%cn', res.commit])).toBe(
      `${who} <${who}>|${who}`,
    );

    // Revert it: origin gets the revert, and the file is byte-identical to the original again.
    const rev = await revertCommit({
      repoPath: shop.work,
      cacheDir,
      commit: res.commit,
      targetBranch: 'main',
      identity: who,
    });
    expect(rev.preview).toBe(false);
    expect(rev.files).toEqual([prodFile]);
    expect(rev.fileDiff).toContain('-    newTag: v1.47.2\n+    newTag: v1.47.1\n');
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(rev.commit);
    expect(git(shop.origin, ['rev-parse', `${rev.commit}^`])).toBe(res.commit);
    expect(await atOrigin(shop.origin, cacheDir, prodFile, rev.commit)).toBe(original);
    const revMsg = git(shop.origin, ['log', '-1', '--format=%B', rev.commit]);
    expect(revMsg).toContain(`Revert "promote order-service v1.47.1 → v1.47.2 to prod (from staging)"`);
    expect(revMsg).toContain(`Reverted-by: ${who}`);
    expect(revMsg).toContain(`Bosun-Revert: ${res.commit}`);

    // The user's dirty working tree, index, HEAD and branches were never touched.
    expect(userState(shop.work)).toEqual(before);
    expectNothingLeft(shop.work, cacheDir);
  });

  it('pushes a review branch when the environment requires review, and says what to do next', async () => {
    const mainBefore = git(shop.origin, ['rev-parse', 'main']);
    const res = await promote({
      repoPath: shop.work,
      cacheDir,
      targetBranch: 'main',
      plan: await plan(),
      identity: who,
      requireReview: true,
    });
    expect(res.branch).toBe('bosun/promote/order-service-prod-v1.47.2');
    expect(res.pushedTo).toBe('origin/bosun/promote/order-service-prod-v1.47.2');
    expect(res.nextStep).toBe('open a merge request from bosun/promote/order-service-prod-v1.47.2 into main');
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(mainBefore);
    expect(git(shop.origin, ['rev-parse', 'bosun/promote/order-service-prod-v1.47.2'])).toBe(res.commit);
    expect(git(shop.origin, ['rev-parse', `${res.commit}^`])).toBe(mainBefore);
  });

  it('promotes several services in one commit', async () => {
    const res = await promote({
      repoPath: shop.work,
      cacheDir,
      targetBranch: 'main',
      plan: await plan({ service: ['order-service', 'payment-service'] }),
      identity: who,
    });
    expect(res.files).toEqual([prodFile, 'apps/payment-service/overlays/prod/kustomization.yaml']);
    expect(git(shop.origin, ['log', '-1', '--format=%s', 'main'])).toBe(
      'promote 2 services to prod (from staging)',
    );
  });

  it('re-applies the edit when the file moved on origin since the preview', async () => {
    const p = await plan();
    const other = otherClone(shop.root, shop.origin, 'bob');
    const text = (await atOrigin(shop.origin, cacheDir, prodFile)) as string;
    await commitFiles(
      { work: other },
      { [prodFile]: `# owned by the payments team\n${text}` },
      'add a header',
    );
    const res = await promote({
      repoPath: shop.work,
      cacheDir,
      targetBranch: 'main',
      plan: p,
      identity: who,
    });
    expect(await atOrigin(shop.origin, cacheDir, prodFile, res.commit)).toBe(
      `# owned by the payments team\n${text.replace('newTag: v1.47.1', 'newTag: v1.47.2')}`,
    );
  });
});

describe('promote: bad input and faults', () => {
  it('says there is nothing to promote when source and target match', async () => {
    const p = await plan({ from: 'dev', to: 'dev' }).catch((e: Error) => e);
    expect(p).toBeInstanceOf(Error);
    const other = otherClone(shop.root, shop.origin, 'bob');
    const staging = (await atOrigin(
      shop.origin,
      cacheDir,
      'apps/order-service/overlays/staging/kustomization.yaml',
    )) as string;
    await commitFiles(
      { work: other },
      { [prodFile]: staging.replace(/environment: staging/g, 'environment: prod') },
      'sync',
    );
    const same = await plan();
    expect(same.edits).toEqual([]);
    expect(same.nothingToDo).toBe('order-service: staging and prod both run v1.47.2; nothing to promote');
    await expect(
      promote({ repoPath: shop.work, cacheDir, targetBranch: 'main', plan: same, identity: who }),
    ).rejects.toThrow('order-service: staging and prod both run v1.47.2; nothing to promote');
    expectNothingLeft(shop.work, cacheDir);
  });

  it('keeps the commit on a bosun/unpushed branch when origin is unreachable', async () => {
    const p = await plan();
    const before = userState(shop.work);
    git(shop.work, ['remote', 'set-url', 'origin', join(shop.root, 'gone.git')]);
    const err = await promote({
      repoPath: shop.work,
      cacheDir,
      targetBranch: 'main',
      plan: p,
      identity: who,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushError);
    const pe = err as PushError;
    expect(pe.kind).toBe('unreachable');
    expect(pe.message).not.toContain('\n');
    expect(pe.message).toMatch(
      /^could not push to origin\/main: origin is unreachable \(.+\); commit [0-9a-f]{12} is kept on local branch bosun\/unpushed\/main-[0-9a-f]{12}$/,
    );
    expect(pe.savedRef).toBe(`bosun/unpushed/main-${pe.commit.slice(0, 12)}`);
    expect(git(shop.work, ['rev-parse', `refs/heads/${pe.savedRef}`])).toBe(pe.commit);
    expect(git(shop.work, ['show', `${pe.commit}:${prodFile}`])).toContain('newTag: v1.47.2');
    expect(git(shop.work, ['log', '-1', '--format=%s', pe.commit])).toBe(
      'promote order-service v1.47.1 → v1.47.2 to prod (from staging)',
    );
    expect(userState(shop.work)).toEqual({
      ...before,
      localBranches: `${before.localBranches}\nrefs/heads/${pe.savedRef} ${pe.commit}`
        .split('\n')
        .sort()
        .join('\n'),
    });
    expectNothingLeft(shop.work, cacheDir, { unpushed: 1 });
  });

  it('names the file and key when the values file lacks the key (Helm fixture)', async () => {
    const platform = await makeHelmPlatform({ services: ['search'] });
    try {
      const file = 'environments/prod/search/values.yaml';
      await commitFiles(
        platform,
        { [file]: 'replicaCount: 3\nautoscaling:\n  enabled: true\n' },
        'drop the tag',
      );
      await expect(
        planFromOrigin({
          work: platform.work,
          cacheDir: join(platform.root, 'cache'),
          service: 'search',
          from: 'staging',
          apps: platformAppSpecs(platform.repoURL, ['search'], platform.envs),
        }),
      ).rejects.toThrow(`search: ${file} has no key image.tag`);
    } finally {
      await platform.cleanup();
    }
  });

  it('promotes a Helm multi-source app through its $values file', async () => {
    const platform = await makeHelmPlatform({ services: ['search'] });
    const pcache = join(platform.root, 'cache');
    try {
      const p = await planFromOrigin({
        work: platform.work,
        cacheDir: pcache,
        service: 'search',
        from: 'staging',
        apps: platformAppSpecs(platform.repoURL, ['search'], platform.envs),
      });
      const file = 'environments/prod/search/values.yaml';
      const original = (await atOrigin(platform.origin, pcache, file)) as string;
      const res = await promote({
        repoPath: platform.work,
        cacheDir: pcache,
        targetBranch: 'main',
        plan: p,
        identity: who,
      });
      expect(await atOrigin(platform.origin, pcache, file, res.commit)).toBe(
        original.replace('tag: 2.3.0\n', 'tag: 2.3.1\n'),
      );
    } finally {
      await platform.cleanup();
    }
  });

  it('works with a detached HEAD in the user repository, and fails clearly for a missing branch', async () => {
    git(shop.work, ['checkout', '--quiet', '--detach', 'HEAD']);
    const before = userState(shop.work);
    const { resolveTargetBranch } = await import('../../../src/engine/git/push.js');
    await expect(resolveTargetBranch({ repoPath: shop.work })).rejects.toThrow(
      /^HEAD is detached in .+, so there is no branch to push to; set repo.branch in bosun.yaml or pass the target branch$/,
    );
    const p = await plan();
    await expect(
      promote({ repoPath: shop.work, cacheDir, targetBranch: 'release', plan: p, identity: who }),
    ).rejects.toThrow('branch release does not exist on origin; check the target branch name');
    const res = await promote({
      repoPath: shop.work,
      cacheDir,
      targetBranch: 'main',
      plan: p,
      identity: who,
    });
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(res.commit);
    expect(userState(shop.work)).toEqual(before);
    expectNothingLeft(shop.work, cacheDir);
  });
});

describe('revert: faults', () => {
  it('aborts a conflicting revert and leaves nothing behind', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    const text = (await atOrigin(shop.origin, cacheDir, prodFile)) as string;
    const first = await commitFiles(
      { work: other },
      { [prodFile]: text.replace('v1.47.1', 'v1.47.5') },
      'bump to 1.47.5',
    );
    await commitFiles({ work: other }, { [prodFile]: text.replace('v1.47.1', 'v1.47.6') }, 'bump to 1.47.6');
    const originMain = git(shop.origin, ['rev-parse', 'main']);
    const before = userState(shop.work);
    const err = await revertCommit({
      repoPath: shop.work,
      cacheDir,
      commit: first,
      targetBranch: 'main',
      identity: who,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `reverting ${first.slice(0, 12)} conflicts with later changes in ${prodFile}; nothing was changed (revert by hand, or revert the later commits first)`,
    );
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(originMain);
    expect(userState(shop.work)).toEqual(before);
    expectNothingLeft(shop.work, cacheDir);
  });

  it('previews a revert without committing to any branch or pushing', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    const text = (await atOrigin(shop.origin, cacheDir, prodFile)) as string;
    const c = await commitFiles({ work: other }, { [prodFile]: text.replace('v1.47.1', 'v1.47.5') }, 'bump');
    const originMain = git(shop.origin, ['rev-parse', 'main']);
    const pv = await previewRevert({
      repoPath: shop.work,
      cacheDir,
      commit: c.slice(0, 10),
      targetBranch: 'main',
      identity: who,
    });
    expect(pv.preview).toBe(true);
    expect(pv.reverted).toBe(c);
    expect(pv.files).toEqual([prodFile]);
    expect(pv.message.split('\n')[0]).toBe('Revert "bump"');
    expect(revertChangePlan(pv, { id: 'r1', targetBranch: 'main' })).toMatchObject({
      kind: 'revert',
      title: 'Revert "bump"',
      files: [prodFile],
      targetBranch: 'main',
    });
    expect(git(shop.origin, ['rev-parse', 'main'])).toBe(originMain);
    expectNothingLeft(shop.work, cacheDir);
  });

  it('reverts a merge commit against its first parent', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    const text = (await atOrigin(shop.origin, cacheDir, prodFile)) as string;
    git(other, ['checkout', '--quiet', '-b', 'feature']);
    await commitFiles({ work: other }, {}, 'noop');
    git(other, ['reset', '--quiet', '--hard', 'origin/main']);
    await import('node:fs').then((fs) =>
      fs.writeFileSync(join(other, prodFile), text.replace('v1.47.1', 'v1.47.9')),
    );
    git(other, ['commit', '--quiet', '-am', 'feature: bump']);
    git(other, ['checkout', '--quiet', 'main']);
    git(other, ['merge', '--quiet', '--no-ff', '-m', 'Merge feature', 'feature']);
    git(other, ['push', '--quiet', 'origin', 'main']);
    const merge = git(other, ['rev-parse', 'HEAD']);
    const rev = await revertCommit({
      repoPath: shop.work,
      cacheDir,
      commit: merge,
      targetBranch: 'main',
      identity: who,
    });
    expect(await atOrigin(shop.origin, cacheDir, prodFile, rev.commit)).toBe(text);
    expect(rev.message).toContain(`This reverts commit ${merge}, reversing\nchanges made to`);
  });

  it('refuses a commit that is not on the target branch', async () => {
    const other = otherClone(shop.root, shop.origin, 'bob');
    git(other, ['commit', '--quiet', '--allow-empty', '-m', 'local only']);
    git(other, ['push', '--quiet', 'origin', 'HEAD:refs/heads/side']);
    git(shop.work, ['fetch', '--quiet', 'origin']);
    const side = git(other, ['rev-parse', 'HEAD']);
    await expect(
      revertCommit({ repoPath: shop.work, cacheDir, commit: side, targetBranch: 'main', identity: who }),
    ).rejects.toThrow(
      `commit ${side.slice(0, 12)} is not on origin/main; only commits on the target branch can be reverted`,
    );
    expectNothingLeft(shop.work, cacheDir);
  });
});
