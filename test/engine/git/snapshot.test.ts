import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo } from '../../../src/engine/git/index.js';
import { commitFiles, createFixtureRepo, type FixtureRepo, git } from '../../fixtures/repos/index.js';

let repo: FixtureRepo;
let g: GitRepo;
let first: string;
let second: string;

async function indexFingerprint(work: string): Promise<{ hash: string; mtimeMs: number }> {
  const p = join(work, '.git', 'index');
  return {
    hash: createHash('sha256')
      .update(await readFile(p))
      .digest('hex'),
    mtimeMs: (await stat(p)).mtimeMs,
  };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...(await listFiles(join(dir, ent.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

beforeAll(async () => {
  repo = await createFixtureRepo({
    name: 'snapshot',
    files: {
      'apps/web/deploy.yaml': 'kind: Deployment\n',
      'apps/web/run.sh': '#!/bin/sh\necho hi\n',
      'README.md': '# r\n',
    },
  });
  git(repo.work, ['update-index', '--chmod=+x', 'apps/web/run.sh']);
  git(repo.work, ['commit', '--quiet', '-m', 'executable']);
  first = git(repo.work, ['rev-parse', 'HEAD']);
  second = await commitFiles(
    repo,
    { 'apps/web/deploy.yaml': 'kind: Deployment # v2\n', 'apps/api/svc.yaml': 'kind: Service\n' },
    'v2',
  );
  g = await GitRepo.open({ path: repo.work, cacheDir: join(repo.root, 'cache') });
});

afterAll(async () => {
  await repo.cleanup();
});

describe('GitRepo.snapshot', () => {
  it('materialises the tree of a commit, not the working tree', async () => {
    const dir = await g.snapshot(first);
    expect(dir).toBe(join(repo.root, 'cache', 'trees', git(repo.work, ['rev-parse', `${first}^{tree}`])));
    expect(await listFiles(dir)).toEqual(['README.md', 'apps/web/deploy.yaml', 'apps/web/run.sh']);
    expect(await readFile(join(dir, 'apps/web/deploy.yaml'), 'utf8')).toBe('kind: Deployment\n');
    const dir2 = await g.snapshot(second);
    expect(dir2).not.toBe(dir);
    expect(await readFile(join(dir2, 'apps/web/deploy.yaml'), 'utf8')).toBe('kind: Deployment # v2\n');
    expect(await listFiles(dir2)).toContain('apps/api/svc.yaml');
  });

  it('is read-only and keeps the executable bit', async () => {
    const dir = await g.snapshot(first);
    expect((await stat(join(dir, 'README.md'))).mode & 0o222).toBe(0);
    expect((await stat(join(dir, 'apps'))).mode & 0o222).toBe(0);
    expect((await stat(join(dir, 'apps/web/run.sh'))).mode & 0o111).not.toBe(0);
  });

  it('is materialised once per tree: same commit, same tree, concurrent calls', async () => {
    const [a, b, c] = await Promise.all([
      g.snapshot(second),
      g.snapshot('main'),
      g.snapshot(second.slice(0, 10)),
    ]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    const ino = (await stat(a)).ino;
    const fresh = await GitRepo.open({ path: repo.work, cacheDir: join(repo.root, 'cache') });
    const d = await fresh.snapshot(second);
    expect(d).toBe(a);
    expect((await stat(d)).ino).toBe(ino);
    const leftovers = (await readdir(join(repo.root, 'cache', 'trees'))).filter((n) => n.startsWith('.'));
    expect(leftovers).toEqual([]);
  });

  it('never touches a dirty working tree or the index', async () => {
    await writeFile(join(repo.work, 'apps/web/deploy.yaml'), 'kind: Deployment # local edit\n');
    await writeFile(join(repo.work, 'staged.yaml'), 'kind: ConfigMap\n');
    git(repo.work, ['add', 'staged.yaml']);
    await writeFile(join(repo.work, 'untracked.txt'), 'scratch\n');
    // --no-optional-locks: git status itself must not refresh the index while we measure it
    const status = () => git(repo.work, ['--no-optional-locks', 'status', '--porcelain=v1']);
    const statusBefore = status();
    const indexBefore = await indexFingerprint(repo.work);
    expect(
      statusBefore
        .split('\n')
        .map((l) => l.trim())
        .sort(),
    ).toEqual(['?? untracked.txt', 'A  staged.yaml', 'M apps/web/deploy.yaml']);

    const fresh = await GitRepo.open({ path: repo.work, cacheDir: join(repo.root, 'cache-dirty') });
    const a = await fresh.snapshot(first);
    const b = await fresh.snapshot(second);
    await fresh.objectId(second, 'apps');
    await fresh.log({ paths: ['apps/web'] });

    expect(await indexFingerprint(repo.work)).toEqual(indexBefore);
    expect(status()).toBe(statusBefore);
    expect(await readFile(join(repo.work, 'apps/web/deploy.yaml'), 'utf8')).toBe(
      'kind: Deployment # local edit\n',
    );
    expect(await listFiles(a)).not.toContain('staged.yaml');
    expect(await listFiles(b)).not.toContain('untracked.txt');
    expect(await readFile(join(b, 'apps/web/deploy.yaml'), 'utf8')).toBe('kind: Deployment # v2\n');
    const gitDirEntries = await readdir(join(repo.work, '.git'));
    expect(gitDirEntries.filter((n) => n.startsWith('index') && n !== 'index')).toEqual([]);
  });

  it('keeps symlinks as symlinks (the renderers check where they point)', async () => {
    const { symlink } = await import('node:fs/promises');
    await symlink('../README.md', join(repo.work, 'apps/readme-link.md'));
    const sha = await commitFiles(repo, {}, 'link');
    const dir = await g.snapshot(sha);
    expect((await lstat(join(dir, 'apps/readme-link.md'))).isSymbolicLink()).toBe(true);
  });

  it('fails with one line for an unknown revision', async () => {
    await expect(g.snapshot('nope')).rejects.toThrow(/revision "nope" not found/);
  });
});
