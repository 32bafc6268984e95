/**
 * Health conformance with Argo CD, measured through `bosun health -f FILE [--customizations DIR] -o json`.
 * Argo CD's files are read from a checkout given on the command line and never copied into this project:
 *
 *   npx tsx test/bench/health-conformance.ts --gitops-engine <argo-cd>/gitops-engine
 *       gitops-engine's built-in cases (pkg/health/health_test.go, assertAppHealth lines): status agreement
 *   npx tsx test/bench/health-conformance.ts --customizations <argo-cd>/resource_customizations
 *       every health_test.yaml case, bosun pointed at that folder: status and status+message agreement
 *   npx tsx test/bench/health-conformance.ts --builtin <argo-cd>/resource_customizations
 *       the same cases for the kinds bosun assesses itself, with no folder
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

type Case = { label: string; obj: Record<string, unknown>; status: string; message?: string };
type Result = { health: string | null; message: string | null };

const root = join(import.meta.dirname, '../..');

/** The kinds bosun has its own health for (the list); `--builtin` measures only these. */
const BUILTIN_KINDS = [
  'argoproj.io/Rollout',
  'argoproj.io/AnalysisRun',
  'argoproj.io/Experiment',
  'argoproj.io/Application',
  'argoproj.io/ApplicationSet',
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/ClusterExternalSecret',
  'external-secrets.io/SecretStore',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/PushSecret',
  'bitnami.com/SealedSecret',
  'cert-manager.io/Certificate',
  'cert-manager.io/CertificateRequest',
  'cert-manager.io/Issuer',
  'cert-manager.io/ClusterIssuer',
  'keda.sh/ScaledObject',
];

function readYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'), { strict: false, uniqueKeys: false });
}

function gitopsEngineCases(dir: string): Case[] {
  const testFile = join(dir, 'pkg/health/health_test.go');
  const re = /assertAppHealth\(t, "([^"]+)", HealthStatus(\w+)\)/g;
  const out: Case[] = [];
  for (const m of readFileSync(testFile, 'utf8').matchAll(re)) {
    const [, path, status] = m;
    if (!path || !status) continue;
    out.push({
      label: path,
      obj: readYaml(join(dir, 'pkg/health', path)) as Record<string, unknown>,
      status,
    });
  }
  return out;
}

function customizationCases(dir: string, keys?: string[]): Case[] {
  const out: Case[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f === 'health_test.yaml') {
        const key = dirname(p).slice(dir.length + 1);
        if (keys && !keys.includes(key)) continue;
        const tests = (readYaml(p) as { tests: Record<string, unknown>[] }).tests;
        for (const t of tests) {
          const input = (t.inputPath ?? t.inputpath) as string;
          const hs = t.healthStatus as { status?: string; message?: string };
          let obj: Record<string, unknown>;
          try {
            obj = readYaml(join(dirname(p), input)) as Record<string, unknown>;
          } catch {
            obj = { unreadable: true };
          }
          out.push({ label: `${key} ${input}`, obj, status: hs.status ?? '', message: hs.message ?? '' });
        }
      }
    }
  };
  walk(dir);
  return out;
}

function runBosun(cases: Case[], customizations?: string): Result[] {
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-conformance-'));
  try {
    const file = join(tmp, 'objects.yaml');
    writeFileSync(file, cases.map((c) => stringify(c.obj)).join('---\n'));
    const args = [join(root, 'bin/bosun.js'), 'health', '-f', file, '-o', 'json'];
    if (customizations) args.push('--customizations', customizations);
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`bosun health failed: ${r.stderr.trim()}`);
    return (JSON.parse(r.stdout) as { objects: Result[] }).objects;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function report(name: string, cases: Case[], results: Result[], withMessage: boolean): void {
  if (results.length !== cases.length)
    throw new Error(
      `${name}: ${cases.length} cases but ${results.length} results (a List or unreadable file?)`,
    );
  let status = 0;
  let both = 0;
  const misses: string[] = [];
  cases.forEach((c, i) => {
    const r = results[i];
    const got = r?.health ?? '';
    if (got === c.status) status++;
    else misses.push(`  ${c.label}: want ${c.status}, got ${got || '-'} (${r?.message ?? ''})`);
    if (got === c.status && (r?.message ?? '') === (c.message ?? '')) both++;
  });
  const pct = (n: number) => ((100 * n) / cases.length).toFixed(1);
  console.log(`${name}: ${status}/${cases.length} status agree (${pct(status)} %)`);
  if (withMessage) console.log(`${name}: ${both}/${cases.length} status and message agree (${pct(both)} %)`);
  if (misses.length > 0) console.log(misses.slice(0, 40).join('\n'));
}

const [mode, dir] = process.argv.slice(2);
if (!mode || !dir || !existsSync(dir)) {
  console.error('usage: health-conformance.ts --gitops-engine DIR | --customizations DIR | --builtin DIR');
  process.exit(2);
}
if (mode === '--gitops-engine') {
  const cases = gitopsEngineCases(dir);
  report('gitops-engine built-in', cases, runBosun(cases), false);
} else if (mode === '--customizations') {
  const cases = customizationCases(dir).filter((c) => !c.obj.unreadable);
  report('Argo CD resource_customizations (with the folder)', cases, runBosun(cases, dir), true);
} else if (mode === '--builtin') {
  const cases = customizationCases(dir, BUILTIN_KINDS).filter((c) => !c.obj.unreadable);
  report('bosun built-in kinds (no folder)', cases, runBosun(cases), false);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
