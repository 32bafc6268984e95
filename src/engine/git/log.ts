/** One commit as shown in an app's history. */
export type CommitInfo = {
  sha: string;
  shortSha: string;
  author: string;
  email: string;
  /** Author date, ISO 8601 with offset. */
  date: string;
  subject: string;
  body: string;
};

const FIELD = '\x1f';
const RECORD = '\x1e';

/** The `--format` string whose output `parseLog` reads. */
export const logFormat = ['%H', '%h', '%an', '%ae', '%aI', '%s', '%b'].join('%x1f') + '%x1e';

/** Parses `git log --format=<logFormat>` output. */
export function parseLog(out: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const raw of out.split(RECORD)) {
    const rec = raw.replace(/^\n+/, '');
    if (!rec) continue;
    const [sha = '', shortSha = '', author = '', email = '', date = '', subject = '', body = ''] =
      rec.split(FIELD);
    if (!/^[0-9a-f]{40,64}$/.test(sha)) continue;
    commits.push({ sha, shortSha, author, email, date, subject, body: body.replace(/\n+$/, '') });
  }
  return commits;
}
