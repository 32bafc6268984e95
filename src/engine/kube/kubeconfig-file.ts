import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/** A kubeconfig cluster entry, paths resolved against the file that declared it. */
export type KcCluster = {
  server: string;
  caFile?: string;
  caData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
};

/** A kubeconfig exec credential plugin (client.authentication.k8s.io). */
export type KcExec = {
  apiVersion: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  provideClusterInfo?: boolean;
};

/** A kubeconfig user entry, paths resolved against the file that declared it. */
export type KcUser = {
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  certFile?: string;
  certData?: string;
  keyFile?: string;
  keyData?: string;
  exec?: KcExec;
  /** Set for `auth-provider` users (oidc, gcp, azure): handled by the full client library. */
  authProvider?: string;
};

/** A kubeconfig context entry. */
export type KcContext = { cluster: string; user: string; namespace?: string };

/** The merged kubeconfig: the first file that names an entry wins, as kubectl merges KUBECONFIG. */
export type Kubeconfig = {
  clusters: Map<string, KcCluster>;
  users: Map<string, KcUser>;
  contexts: Map<string, KcContext>;
  currentContext?: string;
  /** The files read, in order. */
  files: string[];
};

type Raw = Record<string, unknown>;
const rec = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(rec) : []);

/** The kubeconfig files bosun reads: --kubeconfig, else every KUBECONFIG entry, else ~/.kube/config. */
export function kubeconfigFiles(opts: {
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}): string[] {
  if (opts.kubeconfig) return [opts.kubeconfig];
  const env = opts.env ?? process.env;
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv.filter((f, i) => fromEnv.indexOf(f) === i && existsSync(f));
  const home = join(opts.home ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

function resolvePath(file: string, p: string | undefined): string | undefined {
  if (!p) return undefined;
  return isAbsolute(p) ? p : join(dirname(file), p);
}

function parseCluster(file: string, c: Raw): KcCluster {
  const server = str(c.server) ?? '';
  const caFile = resolvePath(file, str(c['certificate-authority']));
  const caData = str(c['certificate-authority-data']);
  const tlsServerName = str(c['tls-server-name']);
  const proxyUrl = str(c['proxy-url']);
  return {
    server,
    ...(caFile ? { caFile } : {}),
    ...(caData ? { caData } : {}),
    ...(c['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(proxyUrl ? { proxyUrl } : {}),
  };
}

function parseExec(file: string, e: Raw): KcExec {
  const command = str(e.command) ?? '';
  // client-go: a relative command with a path separator is relative to the kubeconfig's directory.
  const resolved = command.includes('/') && !isAbsolute(command) ? join(dirname(file), command) : command;
  return {
    apiVersion: str(e.apiVersion) ?? 'client.authentication.k8s.io/v1',
    command: resolved,
    args: Array.isArray(e.args) ? e.args.map(String) : [],
    env: list(e.env).map((x) => ({ name: String(x.name ?? ''), value: String(x.value ?? '') })),
    ...(e.provideClusterInfo === true ? { provideClusterInfo: true } : {}),
  };
}

function parseUser(file: string, u: Raw): KcUser {
  const out: KcUser = {};
  const set = <K extends keyof KcUser>(k: K, v: KcUser[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('token', str(u.token));
  set('tokenFile', resolvePath(file, str(u.tokenFile)));
  set('username', str(u.username));
  set('password', str(u.password));
  set('certFile', resolvePath(file, str(u['client-certificate'])));
  set('certData', str(u['client-certificate-data']));
  set('keyFile', resolvePath(file, str(u['client-key'])));
  set('keyData', str(u['client-key-data']));
  if (u.exec && typeof u.exec === 'object') out.exec = parseExec(file, rec(u.exec));
  if (u['auth-provider']) out.authProvider = str(rec(u['auth-provider']).name) ?? 'unknown';
  return out;
}

/** Reads and merges kubeconfig files; throws a one-line error naming the file that cannot be read. */
export function readKubeconfig(files: string[]): Kubeconfig {
  const kc: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files };
  for (const file of files) {
    let doc: Raw;
    try {
      doc = rec(parse(readFileSync(file, 'utf8')));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    for (const c of list(doc.clusters)) {
      const name = str(c.name);
      if (name && !kc.clusters.has(name)) kc.clusters.set(name, parseCluster(file, rec(c.cluster)));
    }
    for (const u of list(doc.users)) {
      const name = str(u.name);
      if (name && !kc.users.has(name)) kc.users.set(name, parseUser(file, rec(u.user)));
    }
    for (const c of list(doc.contexts)) {
      const name = str(c.name);
      const body = rec(c.context);
      const cluster = str(body.cluster);
      if (!name || !cluster || kc.contexts.has(name)) continue;
      const namespace = str(body.namespace);
      kc.contexts.set(name, { cluster, user: str(body.user) ?? '', ...(namespace ? { namespace } : {}) });
    }
    kc.currentContext ??= str(doc['current-context']);
  }
  return kc;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster config of a pod (service-account token and CA), as client libraries build it. */
export function inClusterKubeconfig(env: NodeJS.ProcessEnv = process.env): Kubeconfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host || !existsSync(join(SA_DIR, 'token'))) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`;
  return {
    clusters: new Map([['inCluster', { server, caFile: join(SA_DIR, 'ca.crt') }]]),
    users: new Map([['inClusterUser', { tokenFile: join(SA_DIR, 'token') }]]),
    contexts: new Map([['inClusterContext', { cluster: 'inCluster', user: 'inClusterUser' }]]),
    currentContext: 'inClusterContext',
    files: [],
  };
}
