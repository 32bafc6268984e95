import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import type { KcCluster, KcExec, KcUser } from './kubeconfig-file.js';

/** What an exec credential plugin returned (client.authentication.k8s.io ExecCredential status). */
type ExecStatus = {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
};

const b64 = (s: string) => Buffer.from(s, 'base64');

/** Runs an exec credential plugin once and returns its ExecCredential status. */
function runExec(exec: KcExec, cluster: KcCluster): Promise<ExecStatus> {
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo)
    spec.cluster = {
      server: cluster.server,
      ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
      ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    };
  const env = {
    ...process.env,
    ...Object.fromEntries(exec.env.map((e) => [e.name, e.value])),
    KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec }),
  };
  return new Promise((resolve, reject) => {
    execFile(exec.command, exec.args, { env, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim().split('\n')[0];
        reject(new Error(`exec credential plugin ${exec.command} failed: ${detail}`, { cause: err }));
        return;
      }
      try {
        const cred = JSON.parse(stdout) as { status?: ExecStatus };
        if (!cred.status) throw new Error('no status in its ExecCredential');
        resolve(cred.status);
      } catch (e) {
        reject(
          new Error(
            `exec credential plugin ${exec.command} printed no ExecCredential: ${(e as Error).message}`,
            {
              cause: e,
            },
          ),
        );
      }
    });
  });
}

/**
 * Applies one kubeconfig user and cluster to request options: TLS material, a bearer token (static,
 * token file, or from an exec plugin, cached until its expirationTimestamp) or basic auth. `refresh`
 * drops the cached plugin credential (after a 401).
 */
export class UserAuth {
  private cached?: { status: ExecStatus; expiresAt?: number };
  private inflight?: Promise<ExecStatus>;

  constructor(
    private readonly cluster: KcCluster,
    private readonly user: KcUser,
  ) {}

  private async execStatus(refresh: boolean): Promise<{ status: ExecStatus; expiresAt?: number }> {
    const exec = this.user.exec;
    if (!exec) return { status: {} };
    if (refresh) this.cached = undefined;
    const c = this.cached;
    if (c && (c.expiresAt === undefined || Date.now() < c.expiresAt)) return c;
    this.inflight ??= runExec(exec, this.cluster).finally(() => {
      this.inflight = undefined;
    });
    const status = await this.inflight;
    const t = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Number.NaN;
    this.cached = { status, ...(Number.isNaN(t) ? {} : { expiresAt: t }) };
    return this.cached;
  }

  /** Adds TLS and auth to `opts`; returns when the credential expires, when a plugin said so. */
  async apply(opts: RequestOptions, o: { refresh?: boolean } = {}): Promise<{ expiresAt?: number }> {
    const { cluster, user } = this;
    if (cluster.caData) opts.ca = b64(cluster.caData);
    else if (cluster.caFile) opts.ca = readFileSync(cluster.caFile);
    if (cluster.insecureSkipTlsVerify) opts.rejectUnauthorized = false;
    if (cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    if (user.certData) opts.cert = b64(user.certData);
    else if (user.certFile) opts.cert = readFileSync(user.certFile);
    if (user.keyData) opts.key = b64(user.keyData);
    else if (user.keyFile) opts.key = readFileSync(user.keyFile);
    const headers = (opts.headers ?? {}) as Record<string, string>;
    opts.headers = headers;
    const { status, expiresAt } = await this.execStatus(o.refresh ?? false);
    if (status.clientCertificateData) opts.cert = status.clientCertificateData;
    if (status.clientKeyData) opts.key = status.clientKeyData;
    const token =
      status.token ??
      user.token ??
      (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (user.username !== undefined && user.password !== undefined)
      headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    return expiresAt === undefined ? {} : { expiresAt };
  }
}
