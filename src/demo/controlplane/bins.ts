import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// The Go build script lives at the package root, three levels up from both src/demo/controlplane
// and dist/demo/controlplane.
const buildScript = join(here, '..', '..', '..', 'controlplane', 'build.sh');

/** The binaries the control plane and the renderers need. */
export const binNames = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'kustomize',
  'helm',
] as const;
/** One of the binary names. */
export type BinName = (typeof binNames)[number];

let cachedDir: string | undefined;

/**
 * Builds what is missing (skipped when everything is there) and returns the cache directory.
 * Progress goes to stderr; a failure throws with the build script's one-line reason.
 */
export function ensureBins(opts: { quiet?: boolean } = {}): string {
  if (cachedDir) return cachedDir;
  const script = buildScript;
  try {
    const out = execFileSync('bash', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    const dir = out.trim().split('\n').pop() ?? '';
    for (const b of binNames) {
      if (!existsSync(join(dir, b))) throw new Error(`control-plane binary ${b} missing from ${dir}`);
    }
    cachedDir = dir;
    return dir;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    const line =
      stderr.split('\n').find((l) => l.startsWith('bosun control-plane build failed')) ?? String(err);
    throw new Error(line, { cause: err });
  }
}

/** Like `ensureBins`, without blocking: the build's progress lines go to `log` as they come. */
export function ensureBinsAsync(opts: { log: (line: string) => void }): Promise<string> {
  if (cachedDir) return Promise.resolve(cachedDir);
  return new Promise((resolvePromise, reject) => {
    let stderr = '';
    let partial = '';
    const child = execFile(
      'bash',
      [buildScript],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        if (err) {
          const line =
            stderr.split('\n').find((l) => l.startsWith('bosun control-plane build failed')) ?? String(err);
          reject(new Error(line, { cause: err }));
          return;
        }
        const dir = stdout.trim().split('\n').pop() ?? '';
        const missing = binNames.find((b) => !existsSync(join(dir, b)));
        if (missing) reject(new Error(`control-plane binary ${missing} missing from ${dir}`));
        else {
          cachedDir = dir;
          resolvePromise(dir);
        }
      },
    );
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) opts.log(l);
    });
  });
}

/** Path of one binary in the cache directory (builds first if needed). */
export function binPath(name: BinName): string {
  return join(ensureBins({ quiet: true }), name);
}
