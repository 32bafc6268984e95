import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../../src/engine/kube/client.js';

/** A loopback HTTPS server with a throwaway self-signed certificate, and a KubeClient that trusts it. */
export type LoopbackTls = {
  server: Server;
  url: string;
  client: () => KubeClient;
  close: () => Promise<void>;
};

/** Starts a keep-alive HTTPS server on 127.0.0.1 answering with `handler`. */
export async function loopbackTls(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackTls> {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-loopback-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
      .concat(['-addext', 'subjectAltName=IP:127.0.0.1'])
      .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
    { stdio: 'ignore' },
  );
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert, keepAlive: true }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    client: () =>
      new KubeClient({
        name: 'dev',
        cluster: 'dev',
        server: url,
        applyAuth: async (opts) => {
          opts.ca = cert;
          return {};
        },
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
