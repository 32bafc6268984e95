import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { type BosunConfig, parseConfig } from '../../../src/config/config.js';

const made: string[] = [];

/** Writes files (path → text) into a fresh temp dir and returns it. Removed by cleanupRepos. */
export async function writeRepo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-apps-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

/** A temp dir outside any repository (for symlinks that escape). */
export async function outsideDir(files: Record<string, string> = {}): Promise<string> {
  return writeRepo(files);
}

/** Creates a symlink `rel` inside `dir` pointing at `target`. */
export async function link(dir: string, rel: string, target: string): Promise<void> {
  await mkdir(dirname(join(dir, rel)), { recursive: true });
  await symlink(target, join(dir, rel));
}

/** Removes every temp dir made by writeRepo. */
export async function cleanupRepos(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A config from YAML text (defaults when empty). */
export function config(text = ''): BosunConfig {
  return parseConfig(text, 'bosun.yaml');
}

/** YAML text of one or more objects (multi-document). */
export function yaml(...objects: unknown[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** An Application object. */
export function application(
  name: string,
  spec: {
    path?: string;
    repoURL?: string;
    server?: string;
    dest?: string;
    namespace?: string;
    [k: string]: unknown;
  },
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  const { path, repoURL, server, dest, namespace, ...rest } = spec;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', ...metadata },
    spec: {
      project: 'default',
      source: {
        repoURL: repoURL ?? 'https://git.example.com/org/manifests.git',
        path,
        targetRevision: 'HEAD',
      },
      destination: {
        ...(dest ? { name: dest } : { server: server ?? 'https://kubernetes.default.svc' }),
        namespace: namespace ?? name,
      },
      ...rest,
    },
  };
}

/** The repository URL the fixtures use. */
export const repoURL = 'https://git.example.com/org/manifests.git';
