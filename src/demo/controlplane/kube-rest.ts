import { request } from 'node:https';

/** Where and how to reach one test apiserver. */
export type Endpoint = { server: string; token: string; ca?: Buffer };

/** A tiny HTTPS client for the test control plane's own setup (the product uses engine/kube). */
export async function kubeRequest(
  ep: Endpoint,
  method: string,
  path: string,
  body?: unknown,
  opts: { timeoutMs?: number; contentType?: string } = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const url = new URL(path, ep.server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${ep.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
        },
        ...(ep.ca ? { ca: ep.ca } : { rejectUnauthorized: false }),
        timeout: opts.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
