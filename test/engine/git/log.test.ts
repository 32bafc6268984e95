import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo, parseLog } from '../../../src/engine/git/index.js';
import { createFixtureRepo, type FixtureRepo, git } from '../../fixtures/repos/index.js';

const COMMITS = 2000;

let repo: FixtureRepo;
let g: GitRepo;

/** A fast-import stream: commit i touches apps/a (even i) or apps/b (odd i); every 100th also apps/rare. */
function stream(parent: string): string {
  const out: string[] = [];
  const base = 1_700_000_000;
  for (let i = 1; i <= COMMITS; i++) {
    const file = i % 2 === 0 ? 'apps/a/config.yaml' : 'apps/b/config.yaml';
    const msg = i % 100 === 0 ? `rare change ${i}\n\nBody line one\nBody line two\n` : `change ${i}\n`;
    out.push(
      'commit refs/heads/main',
      `author Dev ${i % 3} <dev${i % 3}@bosun.test> ${base + i * 60} +0000`,
      `committer Dev ${i % 3} <dev${i % 3}@bosun.test> ${base + i * 60} +0000`,
      `data ${Buffer.byteLength(msg)}`,
      msg,
    );
    if (i === 1) out.push(`from ${parent}`);
    const content = `value: ${i}\n`;
    out.push(`M 100644 inline ${file}`, `data ${Buffer.byteLength(content)}`, content);
    if (i % 100 === 0) {
      const rare = `rare: ${i}\n`;
      out.push(`M 100644 inline apps/rare/config.yaml`, `data ${Buffer.byteLength(rare)}`, rare);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

beforeAll(async () => {
  repo = await createFixtureRepo({ name: 'log', files: { 'README.md': '# log\n' } });
  const root = git(repo.work, ['rev-parse', 'HEAD']);
  git(repo.work, ['fast-import', '--quiet', '--force'], stream(root));
  git(repo.work, ['reset', '--quiet', '--hard', 'main']);
  git(repo.work, ['push', '--quiet', 'origin', 'main']);
  g = await GitRepo.open({ path: repo.work, cacheDir: join(repo.root, 'cache') });
}, 60_000);

afterAll(async () => {
  await repo.cleanup();
});

describe('GitRepo.log', () => {
  it('lists commits newest first with author, email, date, subject and body', async () => {
    const log = await g.log({ maxCount: 3 });
    expect(log.map((c) => c.subject)).toEqual([
      `rare change ${COMMITS}`,
      `change ${COMMITS - 1}`,
      `change ${COMMITS - 2}`,
    ]);
    const top = log[0]!;
    expect(top.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(top.sha.startsWith(top.shortSha)).toBe(true);
    expect(top.author).toBe(`Dev ${COMMITS % 3}`);
    expect(top.email).toBe(`dev${COMMITS % 3}@bosun.test`);
    expect(top.date).toBe(
      new Date((1_700_000_000 + COMMITS * 60) * 1000).toISOString().replace('.000Z', '+00:00'),
    );
    expect(top.body).toBe('Body line one\nBody line two');
    expect(log[1]!.body).toBe('');
  });

  it('limits by path across 2,000 commits', async () => {
    const rare = await g.log({ paths: ['apps/rare'] });
    expect(rare).toHaveLength(COMMITS / 100);
    expect(rare.map((c) => c.subject).slice(0, 2)).toEqual([
      `rare change ${COMMITS}`,
      `rare change ${COMMITS - 100}`,
    ]);
    const a = await g.log({ paths: ['apps/a'], maxCount: 5 });
    expect(a.map((c) => c.subject)).toEqual([
      `rare change ${COMMITS}`,
      ...[2, 4, 6, 8].map((d) => `change ${COMMITS - d}`),
    ]);
    const both = await g.log({ paths: ['apps/rare', 'README.md'] });
    expect(both).toHaveLength(COMMITS / 100 + 1);
    expect(both.at(-1)!.subject).toBe('Add log');
  });

  it('pages with skip and maxCount', async () => {
    const page1 = await g.log({ paths: ['apps/rare'], maxCount: 5 });
    const page2 = await g.log({ paths: ['apps/rare'], maxCount: 5, skip: 5 });
    expect(page2).toHaveLength(5);
    expect(page2[0]!.subject).toBe(`rare change ${COMMITS - 500}`);
    expect(new Set([...page1, ...page2].map((c) => c.sha)).size).toBe(10);
  });

  it('starts from a revision and treats odd path names literally', async () => {
    const from = await g.log({ rev: 'HEAD~100', paths: ['apps/rare'], maxCount: 1 });
    expect(from[0]!.subject).toBe(`rare change ${COMMITS - 100}`);
    expect(await g.log({ paths: ['apps/*'] })).toEqual([]);
    expect(await g.log({ paths: ['apps/missing'] })).toEqual([]);
    await expect(g.log({ paths: ['../x'] })).rejects.toThrow(/leaves the repository/);
  });

  it('parses records whose body holds blank lines', () => {
    const rec = [
      'a'.repeat(40),
      'aaaaaaa',
      'N',
      'n@x',
      '2024-01-01T00:00:00+00:00',
      'subj',
      'b1\n\nb2\n',
    ].join('\x1f');
    expect(parseLog(`${rec}\x1e\n${rec}\x1e\n`)).toHaveLength(2);
    expect(parseLog(`${rec}\x1e`)[0]!.body).toBe('b1\n\nb2');
  });
});
