// A kubectl exec credential plugin for tests: counts its runs in COUNT_FILE and prints an ExecCredential.
// MODE=expiring: the real token, expiring EXPIRES_IN seconds from now. MODE=bad-first: a wrong token
// (valid for an hour) on the first run, the real one after.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const file = process.env.COUNT_FILE;
const n = (existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0) + 1;
writeFileSync(file, String(n));
const bad = process.env.MODE === 'bad-first' && n === 1;
const seconds = process.env.MODE === 'expiring' ? Number(process.env.EXPIRES_IN ?? '15') : 3600;
process.stdout.write(
  JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: {
      token: bad ? 'not-the-token' : process.env.TOKEN,
      expirationTimestamp: new Date(Date.now() + seconds * 1000).toISOString(),
    },
  }),
);
