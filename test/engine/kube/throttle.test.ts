import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, throttleWaitMs } from '../../../src/engine/kube/client.js';
import { type LoopbackTls, loopbackTls } from './loopback-tls.js';

/**
 * A server too busy to take a request (429 Too Many Requests from API Priority and Fairness or the
 * in-flight limit, or a 5xx with Retry-After) did not run it: the client waits as asked and sends the
 * same request again, as client-go does, instead of failing a sync task. A loopback HTTPS server
 * plays the busy API server.
 */

/** Answers per path: how many 429s to send before the real answer, and what each attempt carried. */
const plan = new Map<string, { busy: number; status?: number; retryAfter?: string }>();
const bodies = new Map<string, string[]>();
let tls: LoopbackTls;

beforeAll(async () => {
  tls = await loopbackTls((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      bodies.set(path, [...(bodies.get(path) ?? []), Buffer.concat(chunks).toString('utf8')]);
      const p = plan.get(path);
      if (p && p.busy > 0) {
        p.busy--;
        res.writeHead(p.status ?? 429, {
          'content-type': 'application/json',
          ...(p.retryAfter !== undefined ? { 'retry-after': p.retryAfter } : {}),
        });
        res.end(JSON.stringify({ kind: 'Status', reason: 'TooManyRequests', message: 'too many requests' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'ConfigMap', attempts: bodies.get(path)?.length }));
    });
  });
});

afterAll(() => tls.close());

describe('a busy API server', () => {
  it('a 429 is waited out and the same request, body included, is sent again', async () => {
    plan.set('/patch', { busy: 2, retryAfter: '0' });
    const client = tls.client();
    try {
      const r = await client.json<{ attempts: number }>('PATCH', '/patch', {
        body: { data: { k: 'v' } },
        contentType: 'application/apply-patch+yaml',
      });
      expect(r?.attempts).toBe(3);
      expect(new Set(bodies.get('/patch'))).toEqual(new Set(['{"data":{"k":"v"}}']));
    } finally {
      client.close();
    }
  });

  it('a server that stays busy: the 429 is reported after five more attempts', async () => {
    plan.set('/busy', { busy: 100, retryAfter: '0' });
    const client = tls.client();
    try {
      const err = await client.json('GET', '/busy').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeApiError);
      expect((err as KubeApiError).status).toBe(429);
      expect((err as KubeApiError).reason).toBe('TooManyRequests');
      expect(bodies.get('/busy')).toHaveLength(6);
    } finally {
      client.close();
    }
  });

  it('a 5xx is retried only when it carries Retry-After', async () => {
    plan.set('/unavailable', { busy: 1, status: 503, retryAfter: '0' });
    plan.set('/failed', { busy: 1, status: 500 });
    const client = tls.client();
    try {
      expect((await client.json<{ attempts: number }>('GET', '/unavailable'))?.attempts).toBe(2);
      const err = await client.json('GET', '/failed').catch((e: unknown) => e);
      expect((err as KubeApiError).status).toBe(500);
      expect(bodies.get('/failed')).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it('waits as Retry-After asks, at most 10 s, and 1 s for a 429 without it', () => {
    const res = (statusCode: number, retryAfter?: string) => ({
      statusCode,
      headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    });
    expect(throttleWaitMs(res(429, '3'))).toBe(3000);
    expect(throttleWaitMs(res(429))).toBe(1000);
    expect(throttleWaitMs(res(429, '600'))).toBe(10_000);
    expect(throttleWaitMs(res(503, '2'))).toBe(2000);
    expect(throttleWaitMs(res(503))).toBeUndefined();
    expect(throttleWaitMs(res(200, '2'))).toBeUndefined();
    expect(throttleWaitMs(res(409, '2'))).toBeUndefined();
  });
});
