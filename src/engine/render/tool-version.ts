import { runTool } from './exec.js';

/** The version a render tool reports, or why it could not be asked. */
export type ToolVersion = { ok: true; version: string } | { ok: false; missing: boolean; error: string };

const versionArgs: Record<string, string[]> = {
  kustomize: ['version'],
  helm: ['version', '--short'],
  kubectl: ['version', '--client'],
};

/** Runs `TOOL version` (5 s limit) and returns its first meaningful line; never throws. */
export async function toolVersion(opts: {
  tool: 'kustomize' | 'helm' | 'kubectl';
  bin?: string;
}): Promise<ToolVersion> {
  const bin = opts.bin ?? opts.tool;
  const r = await runTool({
    bin,
    args: versionArgs[opts.tool] ?? ['version'],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
    timeoutMs: 5_000,
    maxBytes: 64 * 1024,
  });
  if (r.ok) {
    const line = r.stdout.split('\n').find((l) => l.trim()) ?? '';
    const v = /v?\d+\.\d+(\.\d+)?[^\s",}]*/.exec(line);
    return { ok: true, version: v ? v[0] : line.trim() };
  }
  const missing = r.reason === 'spawn' && /ENOENT/.test(r.message ?? '');
  return {
    ok: false,
    missing,
    error: missing
      ? `${bin} not found on PATH`
      : `${bin} version failed: ${(r.stderr.trim().split('\n')[0] ?? r.reason) || r.reason}`,
  };
}
