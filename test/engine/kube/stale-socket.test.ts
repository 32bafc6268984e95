import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackTls, loopbackTls } from './loopback-tls.js';

/**
 * A keep-alive socket the server has closed while it sat in the pool: the next request written to it
 * fails before reaching the server (ECONNRESET on a reused socket). The client sends it once more on a
 * fresh connection instead of reporting the cluster unreachable. A loopback HTTPS server with a
 * throwaway self-signed certificate plays a server that drops a connection's second request.
 */

/** Requests seen per connection; the second one on a connection is dropped unanswered. */
const perSocket = new WeakMap<Socket, number>();
let dropped = 0;
let answered = 0;
let tls: LoopbackTls;

beforeAll(async () => {
  tls = await loopbackTls((req, res) => {
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
});

afterAll(() => tls.close());

describe('a request on a keep-alive socket the server dropped', () => {
  it('is sent again on a fresh connection and answered, not reported as an unreachable cluster', async () => {
    const client = tls.client();
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
