import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
const here = fileURLToPath(new URL('.', import.meta.url));
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
];
let cachedDir;
/**
 * Builds what is missing (skipped when everything is there) and returns the cache directory.
 * Progress goes to stderr; a failure throws with the build script's one-line reason.
 */
export function ensureBins(opts = {}) {
    if (cachedDir)
        return cachedDir;
    const script = join(here, 'build.sh');
    try {
        const out = execFileSync('bash', [script], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'],
            maxBuffer: 16 * 1024 * 1024,
        });
        const dir = out.trim().split('\n').pop() ?? '';
        for (const b of binNames) {
            if (!existsSync(join(dir, b)))
                throw new Error(`control-plane binary ${b} missing from ${dir}`);
        }
        cachedDir = dir;
        return dir;
    }
    catch (err) {
        const stderr = err.stderr ?? '';
        const line = stderr.split('\n').find((l) => l.startsWith('bosun control-plane build failed')) ?? String(err);
        throw new Error(line, { cause: err });
    }
}
/** Path of one binary in the cache directory (builds first if needed). */
export function binPath(name) {
    return join(ensureBins({ quiet: true }), name);
}
//# sourceMappingURL=bins.js.map