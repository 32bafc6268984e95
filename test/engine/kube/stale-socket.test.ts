import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../../src/engine/kube/client.js';

/**
 * A keep-alive socket the server has closed while it sat in the pool: the next request written to it
 * fails before reaching the server (ECONNRESET on a reused socket). The client sends it once more on a
 * fresh connection instead of reporting the cluster unreachable. A loopback HTTPS server with a
 * throwaway self-signed certificate plays a server that drops a connection's second request.
 */

let server: Server;
let url = '';
let cert = '';
/** Requests seen per connection; the second one on a connection is dropped unanswered. */
const perSocket = new WeakMap<Socket, number>();
let dropped = 0;
let answered = 0;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-stale-socket-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert, keepAlive: true }, (req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    if (n >= 2) {
      dropped++;
      req.socket.destroy();
      return;
    }
    answered++;
    res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
    res.end(JSON.stringify({ kind: 'Status', n: answered }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('a request on a keep-alive socket the server dropped', () => {
  it('is sent again on a fresh connection and answered, not reported as an unreachable cluster', async () => {
    const client = new KubeClient({
      name: 'dev',
      cluster: 'dev',
      server: url,
      applyAuth: async (opts) => {
        opts.ca = cert;
        return {};
      },
    });
    try {
      const first = await client.json<{ n: number }>('GET', '/version');
      expect(first?.n).toBe(1);
      // The pooled socket is reused; the server drops this second request on it, unanswered.
      const second = await client.json<{ n: number }>('GET', '/version');
      expect(dropped).toBe(1);
      expect(second?.n).toBe(2);
    } finally {
      client.close();
    }
  });
});
